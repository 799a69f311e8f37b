#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests (Debian's postgresql package), data in a temporary
# folder, listening on 127.0.0.1 only, trust auth. Prints the URL to use as BALANCEOPS_TEST_PG_URL.
# Usage: eval "$(scripts/pg-test-server.sh start [port])"   ...   scripts/pg-test-server.sh stop
set -euo pipefail
port="${2:-54329}"
state="${TMPDIR:-/tmp}/balanceops-pg-$port"

pgbin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "PostgreSQL binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

as_postgres() {
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

case "${1:-start}" in
  start)
    bin=$(pgbin)
    if [ -f "$state/data/postmaster.pid" ] && as_postgres "'$bin/pg_ctl' -D '$state/data' status" >/dev/null 2>&1; then
      echo "export BALANCEOPS_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
      exit 0
    fi
    rm -rf "$state"
    mkdir -p "$state"
    [ "$(id -u)" = "0" ] && chown postgres "$state"
    as_postgres "'$bin/initdb' -D '$state/data' -A trust -U postgres --no-sync" >"$state/initdb.log" 2>&1 \
      || { cat "$state/initdb.log" >&2; exit 1; }
    as_postgres "'$bin/pg_ctl' -D '$state/data' -l '$state/server.log' -w -o \"-p $port -k '$state' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" start" >/dev/null \
      || { cat "$state/server.log" >&2; exit 1; }
    echo "export BALANCEOPS_TEST_PG_URL=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(pgbin)
    [ -d "$state/data" ] && as_postgres "'$bin/pg_ctl' -D '$state/data' -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$state"
    ;;
  *)
    echo "usage: $0 start|stop [port]" >&2
    exit 2
    ;;
esac
