#!/usr/bin/env bash
# A throw-away PostgreSQL 15 for the tests and for developers: a cluster in a temporary
# directory, listening on a free loopback port (and a socket in that directory), trust auth.
# Used by .ci/run and `make services`, so the start-up is written once.
#
#   bash scripts/postgres-service.sh start   # prints DIR and `export DATABASE_URL=...`
#   bash scripts/postgres-service.sh stop DIR
#   bash scripts/postgres-service.sh halt DIR    # stops the server (immediate: as if it crashed), keeps DIR
#   bash scripts/postgres-service.sh resume DIR  # starts it again on the same port and data
#
# Sourced (`. scripts/postgres-service.sh`), it defines pg_service_start (sets PG_SERVICE_DIR and
# exports DATABASE_URL), pg_service_stop, pg_service_halt and pg_service_resume (a test of a lost
# connection stops the server under a running client and starts it again). Debian's postgresql-15 binaries are used from PATH
# or /usr/lib/postgresql/15/bin, installed with apt-get when missing (as root). As root the
# cluster runs as the `postgres` user (initdb refuses root), in a directory that user owns.

pg_service_bin() {
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then PG_BIN=$(dirname "$(command -v initdb)"); return 0; fi
  if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
    if [ "$(id -u)" -ne 0 ]; then echo "postgres-service: no initdb on PATH; install postgresql-15 (apt-get install postgresql-15)" >&2; return 1; fi
    echo "postgres-service: installing postgresql-15 (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null || return 1
  fi
  PG_BIN=/usr/lib/postgresql/15/bin
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
pg_service_as() {
  if [ "$(id -u)" -eq 0 ]; then
    if command -v runuser >/dev/null; then runuser -u postgres -- "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi
  else "$@"; fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pg_service_start() {
  pg_service_bin || return 1
  PG_SERVICE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mosaic-postgres-XXXXXX") || return 1
  chmod 755 "$PG_SERVICE_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /bin/sh postgres
    chown postgres: "$PG_SERVICE_DIR"
  fi
  pg_service_as "$PG_BIN/initdb" -D "$PG_SERVICE_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C >"$PG_SERVICE_DIR/initdb.log" 2>&1 ||
    { echo "postgres-service: initdb failed:" >&2; cat "$PG_SERVICE_DIR/initdb.log" >&2; return 1; }
  local port tries=0
  while :; do
    port=$((20000 + RANDOM % 30000))
    port_in_use "$port" && continue
    echo "-p $port -k $PG_SERVICE_DIR -c listen_addresses=127.0.0.1" >"$PG_SERVICE_DIR/opts"
    if pg_service_launch "$PG_SERVICE_DIR"; then break; fi
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then echo "postgres-service: the server did not start:" >&2; tail -n 20 "$PG_SERVICE_DIR/server.log" >&2; return 1; fi
  done
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "$DATABASE_URL" >"$PG_SERVICE_DIR/url"
}

# Starts the cluster in DIR with the options it was first started with (its port among them).
pg_service_launch() {
  pg_service_as "$PG_BIN/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 -o "$(cat "$1/opts")" start >/dev/null
}

# Stops the server in DIR but keeps its data: `immediate` (default) is a crash (no checkpoint,
# every connection cut), `fast` a clean shutdown.
pg_service_halt() {
  local dir=${1:?give the directory start printed}
  pg_service_bin >/dev/null || return 1
  pg_service_as "$PG_BIN/pg_ctl" -D "$dir/data" -m "${2:-immediate}" -w stop >/dev/null
}

pg_service_resume() {
  local dir=${1:?give the directory start printed}
  pg_service_bin >/dev/null || return 1
  pg_service_launch "$dir"
}

pg_service_stop() {
  local dir=${1:-${PG_SERVICE_DIR:-}}
  [ -n "$dir" ] && [ -d "$dir/data" ] || return 0
  pg_service_bin >/dev/null 2>&1 || true
  pg_service_as "${PG_BIN:-/usr/lib/postgresql/15/bin}/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start)
      pg_service_start || exit 1
      echo "PostgreSQL 15 in $PG_SERVICE_DIR (log: $PG_SERVICE_DIR/server.log)"
      echo "export DATABASE_URL=$DATABASE_URL"
      echo "stop it with: bash scripts/postgres-service.sh stop $PG_SERVICE_DIR"
      ;;
    stop) pg_service_stop "${2:?give the directory start printed}" ;;
    halt) pg_service_halt "${2:?give the directory start printed}" "${3:-immediate}" ;;
    resume) pg_service_resume "${2:?give the directory start printed}" ;;
    *) echo "usage: $0 start | stop DIR | halt DIR [immediate|fast] | resume DIR" >&2; exit 2 ;;
  esac
fi
