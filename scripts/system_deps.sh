#!/usr/bin/env bash
# Installs the system packages QA Portal needs, if any are missing (Debian, via apt-get).
# Says clearly what is missing when it cannot install it.
set -euo pipefail

missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_lib() { ldconfig -p 2>/dev/null | grep -q "$1" || missing+=("$2"); }

need_cmd python3.11 python3.11
need_cmd node nodejs
need_cmd npm npm
need_cmd psql postgresql-client
need_cmd pg_ctlcluster postgresql
need_cmd redis-server redis-server
need_cmd redis-cli redis-tools
need_cmd chromium chromium
need_cmd pdftoppm poppler-utils
need_lib libpango-1.0.so.0 libpango-1.0-0
need_lib libpangoft2-1.0.so.0 libpangoft2-1.0-0
need_lib libharfbuzz-subset.so.0 libharfbuzz-subset0

# Python 3.11 may come from pyenv rather than Debian; only ask apt for it if nothing provides it.
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "QA Portal needs these system packages, which are not installed: ${missing[*]}" >&2
  echo "Install them (as root: apt-get install ${missing[*]}) and run make again." >&2
  exit 1
fi
echo "Installing missing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-liberation >/dev/null
