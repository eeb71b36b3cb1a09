#!/usr/bin/env bash
# Makes sure the local PostgreSQL and Redis are running: starts them if they are
# installed and stopped, and says clearly what is missing otherwise. Skipped for a
# service whose URL (DATABASE_URL / REDIS_URL) points somewhere other than this machine.
set -uo pipefail

is_local() { [ -z "${1:-}" ] || [[ "$1" == *"127.0.0.1"* || "$1" == *"localhost"* || "$1" == *"///"* ]]; }

wait_for() {  # wait_for "description" command...
  local what=$1; shift
  for _ in $(seq 1 30); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "$what did not come up within 15 seconds." >&2
  return 1
}

status=0

if is_local "${DATABASE_URL:-}"; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      version=$(ls /etc/postgresql | sort -V | tail -n 1)
      echo "Starting PostgreSQL $version…"
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
      wait_for "PostgreSQL" pg_isready -q -h 127.0.0.1 -p 5432 || status=1
    else
      echo "PostgreSQL is not running on 127.0.0.1:5432 and is not installed (apt-get install postgresql)." >&2
      status=1
    fi
  fi
fi

if is_local "${REDIS_URL:-}"; then
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    if command -v redis-server >/dev/null 2>&1; then
      echo "Starting Redis…"
      mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
      redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/qa-portal.log
      wait_for "Redis" redis-cli -h 127.0.0.1 -p 6379 ping || status=1
    else
      echo "Redis is not running on 127.0.0.1:6379 and is not installed (apt-get install redis-server)." >&2
      status=1
    fi
  fi
fi

exit $status
