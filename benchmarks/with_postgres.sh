#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server, as .ci/run starts one: a temporary data
# directory, a free local port, the server stopped and the directory removed afterwards (also on
# Ctrl-C). The command sees DATABASE_URL.
#
#   benchmarks/with_postgres.sh .venv/bin/python benchmarks/supervision.py
set -euo pipefail
cd "$(dirname "$0")/.."
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL is not installed (.ci/run installs it with apt-get)" >&2
  exit 2
fi
tmp=$(mktemp -d /tmp/gongkai-bench-pg.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
as_pg=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$tmp" postgres
  chown postgres "$tmp"
  as_pg=(runuser -u postgres --)
fi
stop_pg() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap stop_pg EXIT
"${as_pg[@]}" "$pg_bin/initdb" -D "$tmp/data" -U gongkai -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
# durable writes as in production (no fsync=off here): the figures are meant to be realistic
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
  -o "-p $port -k $tmp -c listen_addresses=127.0.0.1" start >/dev/null
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U gongkai gongkai
echo "PostgreSQL $("$pg_bin/psql" -h 127.0.0.1 -p "$port" -U gongkai -d postgres -tAc 'show server_version') on port $port"
DATABASE_URL="postgres://gongkai@127.0.0.1:$port/gongkai" "$@"
