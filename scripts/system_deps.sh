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
need_cmd fc-list fontconfig

# Fonts for the PDFs (static/pdf/report.css names them), covering what young people and families write:
# Latin (Welsh, Polish), Greek and Cyrillic, Ethiopic (Tigrinya, Amharic), Arabic and Pashto, Bengali,
# Gujarati, Gurmukhi (Punjabi), Urdu (Nastaliq), Chinese, and colour emoji. A character none of them
# holds is listed on the PDF's last page (qa_portal/font_coverage.py reads fontconfig's coverage).
need_font() {
  if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list "$1" family)" ]; then
    case " ${missing[*]} " in *" $2 "*) ;; *) missing+=("$2") ;; esac
  fi
}
need_font "Liberation Sans" fonts-liberation
for family in "Noto Sans" "Noto Sans Ethiopic" "Noto Sans Arabic" "Noto Naskh Arabic" "Noto Sans Bengali" \
  "Noto Sans Gujarati" "Noto Sans Gurmukhi" "Noto Nastaliq Urdu"; do
  need_font "$family" fonts-noto-core
done
need_font "Noto Sans CJK SC" fonts-noto-cjk
need_font "Noto Color Emoji" fonts-noto-color-emoji

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
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
