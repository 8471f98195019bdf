#!/usr/bin/env bash
# A throw-away NATS server with JetStream for the tests and for developers: Debian's nats-server
# with -js, on a free loopback port, its store in a temporary directory. Used by .ci/run and
# `make services`, so the start-up is written once.
#
#   bash scripts/nats-service.sh start   # prints DIR and `export NATS_URL=...`
#   bash scripts/nats-service.sh stop DIR
#
# Sourced (`. scripts/nats-service.sh`), it defines nats_service_start (sets NATS_SERVICE_DIR and
# exports NATS_URL) and nats_service_stop. Debian's nats-server is used from PATH or /usr/sbin,
# installed with apt-get when missing (as root).

nats_service_bin() {
  if command -v nats-server >/dev/null; then NATS_BIN=$(command -v nats-server); return 0; fi
  if [ ! -x /usr/sbin/nats-server ]; then
    if [ "$(id -u)" -ne 0 ]; then echo "nats-service: no nats-server on PATH; install it (apt-get install nats-server)" >&2; return 1; fi
    echo "nats-service: installing nats-server (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null || return 1
  fi
  NATS_BIN=/usr/sbin/nats-server
}

nats_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

nats_service_start() {
  nats_service_bin || return 1
  NATS_SERVICE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/mosaic-nats-XXXXXX") || return 1
  local port tries=0 pid
  while :; do
    port=$((20000 + RANDOM % 30000))
    nats_port_in_use "$port" && continue
    # setsid: the server outlives this shell (make services) and its process group
    setsid "$NATS_BIN" -js -a 127.0.0.1 -p "$port" -sd "$NATS_SERVICE_DIR/jetstream" >"$NATS_SERVICE_DIR/server.log" 2>&1 </dev/null &
    pid=$!
    local waited=0
    while [ "$waited" -lt 100 ] && kill -0 "$pid" 2>/dev/null && ! grep -qs 'Server is ready' "$NATS_SERVICE_DIR/server.log"; do sleep 0.1; waited=$((waited + 1)); done
    if grep -qs 'Server is ready' "$NATS_SERVICE_DIR/server.log"; then break; fi
    kill "$pid" 2>/dev/null
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ]; then echo "nats-service: the server did not start:" >&2; tail -n 20 "$NATS_SERVICE_DIR/server.log" >&2; return 1; fi
  done
  echo "$pid" >"$NATS_SERVICE_DIR/pid"
  export NATS_URL="nats://127.0.0.1:$port"
  echo "$NATS_URL" >"$NATS_SERVICE_DIR/url"
}

nats_service_stop() {
  local dir=${1:-${NATS_SERVICE_DIR:-}}
  [ -n "$dir" ] && [ -f "$dir/pid" ] || return 0
  local pid
  pid=$(cat "$dir/pid")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  case "${1:-}" in
    start)
      nats_service_start || exit 1
      echo "NATS (JetStream) in $NATS_SERVICE_DIR (log: $NATS_SERVICE_DIR/server.log)"
      echo "export NATS_URL=$NATS_URL"
      echo "stop it with: bash scripts/nats-service.sh stop $NATS_SERVICE_DIR"
      ;;
    stop) nats_service_stop "${2:?give the directory start printed}" ;;
    *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
  esac
fi
