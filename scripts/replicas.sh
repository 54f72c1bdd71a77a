#!/usr/bin/env bash
# Start a replicated PostgreSQL pair and a replicated MariaDB pair on loopback for the read-replica tests.
#
#   PostgreSQL: primary 127.0.0.1:5440, streaming standby 127.0.0.1:5441 (pg_basebackup of the primary)
#   MariaDB:    primary 127.0.0.1:3316 (binlog), replica 127.0.0.1:3317 (GTID replication from it)
#
# Dedicated servers (not the machine's 5432/3306 ones), state in $MIZZLE_REPLICA_DIR (default
# /tmp/mizzle-replicas). Idempotent: servers already answering are left alone.
#   bash scripts/replicas.sh          start (build on first use, ~10 s)
#   bash scripts/replicas.sh stop     stop all four
#   bash scripts/replicas.sh stop-replica postgres|mysql   stop one replica (start brings it back)
set -euo pipefail
STATE=${MIZZLE_REPLICA_DIR:-/tmp/mizzle-replicas}
PG_PRIMARY=5440 PG_STANDBY=5441 MY_PRIMARY=3316 MY_REPLICA=3317
say() { printf '== replicas: %s\n' "$*"; }

pg_bin() { local v; v=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n1); [ -n "$v" ] && echo "/usr/lib/postgresql/$v/bin"; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
my() { mariadb --protocol=tcp -h127.0.0.1 -uroot -P"$1" -N -e "$2"; }

stop_all() {
  local bin; bin=$(pg_bin || true)
  for d in "$STATE/pg/standby" "$STATE/pg/primary"; do
    [ -n "$bin" ] && [ -f "$d/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$d" -m fast -w stop >/dev/null 2>&1 || true
  done
  for n in replica primary; do
    [ -f "$STATE/my/$n.pid" ] && kill "$(cat "$STATE/my/$n.pid")" 2>/dev/null || true
  done
  say "stopped"
}
stop_replica() {  # the tests stop a replica to show reads falling back to the primary
  case "$1" in
    postgres) as_pg "$(pg_bin)/pg_ctl" -D "$STATE/pg/standby" -m immediate -w stop >/dev/null ;;
    mysql) kill "$(cat "$STATE/my/replica.pid")"; for _ in $(seq 1 100); do my $MY_REPLICA "select 1" >/dev/null 2>&1 || break; sleep 0.1; done ;;
  esac
  say "stopped the $1 replica"
}
case "${1:-}" in
  stop) stop_all; exit 0 ;;
  stop-replica) stop_replica "$2"; exit 0 ;;
esac

mkdir -p "$STATE"

start_pg() {
  local bin; bin=$(pg_bin) || { say "PostgreSQL binaries not found: skipping the PostgreSQL pair"; return 0; }
  local d="$STATE/pg"
  if as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p $PG_STANDBY && as_pg "$bin/pg_isready" -q -h 127.0.0.1 -p $PG_PRIMARY; then
    say "PostgreSQL primary :$PG_PRIMARY and standby :$PG_STANDBY already running"; return 0
  fi
  mkdir -p "$d"; chown postgres "$d" 2>/dev/null || true
  if [ ! -f "$d/primary/PG_VERSION" ]; then
    say "initdb PostgreSQL primary (:$PG_PRIMARY)"
    rm -rf "$d/primary" "$d/standby"
    as_pg "$bin/initdb" -D "$d/primary" -A trust -U postgres --no-sync >/dev/null
    cat >> "$d/primary/postgresql.conf" <<CONF
port = $PG_PRIMARY
listen_addresses = '127.0.0.1'
unix_socket_directories = '$d'
wal_level = replica
max_wal_senders = 5
fsync = off
synchronous_commit = off
CONF
  fi
  [ -f "$d/primary/postmaster.pid" ] || as_pg "$bin/pg_ctl" -D "$d/primary" -l "$d/primary.log" -w start >/dev/null
  as_pg "$bin/psql" -h 127.0.0.1 -p $PG_PRIMARY -U postgres -tAc "select 1 from pg_database where datname='test'" | grep -q 1 \
    || as_pg "$bin/psql" -h 127.0.0.1 -p $PG_PRIMARY -U postgres -qc "create database test"
  if [ ! -f "$d/standby/PG_VERSION" ]; then
    say "pg_basebackup -> PostgreSQL streaming standby (:$PG_STANDBY)"
    as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p $PG_PRIMARY -U postgres -D "$d/standby" -R -X stream --no-sync
    printf 'port = %s\n' $PG_STANDBY >> "$d/standby/postgresql.conf"
  fi
  [ -f "$d/standby/postmaster.pid" ] || as_pg "$bin/pg_ctl" -D "$d/standby" -l "$d/standby.log" -w start >/dev/null
  say "PostgreSQL primary :$PG_PRIMARY, standby :$PG_STANDBY (streaming)"
}

start_my() {
  command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || { say "mariadbd not found: skipping the MariaDB pair"; return 0; }
  local d="$STATE/my" server=/usr/sbin/mariadbd
  if my $MY_PRIMARY "select 1" >/dev/null 2>&1 && my $MY_REPLICA "select 1" >/dev/null 2>&1; then
    say "MariaDB primary :$MY_PRIMARY and replica :$MY_REPLICA already running"; return 0
  fi
  mkdir -p "$d"
  local fresh=0
  for n in primary replica; do
    if [ ! -d "$d/$n/mysql" ]; then
      say "mariadb-install-db ($n)"
      mariadb-install-db --no-defaults --datadir="$d/$n" --user=root --auth-root-authentication-method=normal \
        --skip-test-db >/dev/null 2>&1
      fresh=1
    fi
  done
  local id=1 port=$MY_PRIMARY
  for n in primary replica; do
    if ! my $port "select 1" >/dev/null 2>&1; then
      "$server" --no-defaults --datadir="$d/$n" --port=$port --bind-address=127.0.0.1 --socket="$d/$n.sock" \
        --pid-file="$d/$n.pid" --user=root --server-id=$id --log-bin="$d/$n-bin" --binlog-format=ROW \
        --log-error="$d/$n.err" --skip-name-resolve=0 --innodb-flush-log-at-trx-commit=2 >/dev/null 2>&1 &
      for _ in $(seq 1 100); do my $port "select 1" >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    id=2 port=$MY_REPLICA
  done
  my $MY_PRIMARY "select 1" >/dev/null || { say "MariaDB primary did not start (see $d/primary.err)"; return 1; }
  my $MY_REPLICA "select 1" >/dev/null || { say "MariaDB replica did not start (see $d/replica.err)"; return 1; }
  if [ "$fresh" = 1 ] || [ -z "$(my $MY_REPLICA "show slave status")" ]; then
    my $MY_REPLICA "stop slave; reset slave all; change master to master_host='127.0.0.1', master_port=$MY_PRIMARY, master_user='root', master_use_gtid=slave_pos; start slave"
  fi
  my $MY_PRIMARY "create database if not exists test"
  say "MariaDB primary :$MY_PRIMARY, replica :$MY_REPLICA (GTID replication)"
}

t0=$(date +%s.%N)
start_pg
start_my
say "ready in $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$t0" "$(date +%s.%N)") s"
