# Sourced by test.sh and bench.sh: a throw-away PostgreSQL cluster of our own
# (initdb in a temporary folder, a free loopback port), for the back office's
# PostgreSQL backend. `pg_cluster_start` sets POSSUM_PG_URL; `pg_cluster_stop`
# stops it and removes the folder (call it from an EXIT trap, so a failing
# test still stops it). Facts: ../shared/TOOLCHAIN.md, section PostgreSQL.
# As root, initdb and the server run as the `postgres` user (initdb refuses root).

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"

pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A port nothing listens on (bash's /dev/tcp: a refused connection means free).
pg_free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

pg_cluster_start() {
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "pg-cluster: no PostgreSQL found under /usr/lib/postgresql (run scripts/setup.sh)" >&2
    return 1
  fi
  PG_DIR=$(mktemp -d /tmp/possum-pg.XXXXXX)
  chmod 755 "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/db" -A trust -U possum --no-sync >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  # Throw-away data: durability off, so the tests spend their time on the back office.
  local tries
  for tries in 1 2 3; do
    PG_PORT=$(pg_free_port)
    if pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/db" -l "$PG_DIR/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null; then
      export POSSUM_PG_URL="postgres://possum@127.0.0.1:$PG_PORT/postgres"
      echo "pg-cluster: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT in $PG_DIR" >&2
      return 0
    fi
  done
  cat "$PG_DIR/server.log" >&2
  return 1
}

pg_cluster_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR" ]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/db" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    echo "pg-cluster: stopped and removed $PG_DIR" >&2
  fi
  PG_DIR=""
}
