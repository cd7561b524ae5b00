#!/usr/bin/env bash
# Ingestion against the database's own limits, in one run on one machine:
#   pgbench inserting response rows into the product's own responses table
#   (one per transaction with 16 clients, 50 per transaction with 32: 256
#   connections would pass the default max_connections of 100),
#   then brandlift serve answered over HTTP by `brandlift loadtest` with 16
#   and 256 clients, the exposure pixel with 256 clients and the survey page
#   with 200; the same on SQLite against the sqlite3 command-line tool with
#   the product's pragmas. Every submission and pixel run is checked
#   afterwards with `brandlift verify`.
#
#   bash docs/bench/ingest.sh                  # both databases
#   DBS=postgres bash docs/bench/ingest.sh     # one of them
#   SERVER_BIN=/tmp/old/brandlift bash ...     # serve with another build
#
# Needs PostgreSQL on PGHOST:PGPORT (default 127.0.0.1:5432, user postgres,
# trust auth), pgbench and sqlite3. Creates a database of its own and drops
# it at the end. Figures go to stdout as a table; docs/BENCHMARKS.md holds
# the ones of record.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="/usr/local/go/bin:$PATH"
here=docs/bench
PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
DBS=${DBS:-"postgres sqlite"}
SECONDS_PGBENCH=${SECONDS_PGBENCH:-15}
RESPONSES_16=${RESPONSES_16:-20000}
RESPONSES_256=${RESPONSES_256:-40000}
PIXELS=${PIXELS:-200000}
PAGES=${PAGES:-30000}
PORT=${PORT:-18680}

work=$(mktemp -d)
db="bl_bench_$$"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/brandlift" ./cmd/brandlift
bl="$work/brandlift"
# SERVER_BIN serves (and migrates) with another build, such as an older
# release to compare with; the load generator and verify stay this one.
srv=${SERVER_BIN:-$bl}
rows=()
row() { rows+=("$(printf '| %s | %s | %s | %s |' "$@")"); }
rate() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(round(d.get('acknowledged_per_second', d.get('answered_per_second', 0))))" "$1"; }
p99() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['p99_ms'])" "$1"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }

# serve DSN: start brandlift on DSN, mint a key, wait until it answers.
serve() {
  "$srv" migrate up --db "$1" >/dev/null
  key=$("$srv" keys create --role marketer --name bench --db "$1" | grep -o 'bl_[A-Za-z0-9_-]*' | head -1)
  "$srv" serve --addr "127.0.0.1:$PORT" --db "$1" --public-rate 0 --log-format json >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.1; done
  echo "server did not start:"; cat "$work/serve.log"; exit 1
}
stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

# load NAME ARGS...: one loadtest run, its summary kept, then verified.
load() {
  local name=$1; shift
  "$bl" loadtest --url "http://127.0.0.1:$PORT" --key "$key" --strict --acked "$work/$name.acked" "$@" >"$work/$name.json"
  local study; study=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['study_id'])" "$work/$name.json")
  if grep -q -- '--mode page' <<<"$*"; then
    return # a page stores nothing; --strict has checked every answer was 200
  elif grep -q -- '--mode pixel' <<<"$*"; then
    "$bl" verify --db "$dsn" --study "$study" --impressions "$work/$name.acked" >/dev/null
  else
    "$bl" verify --db "$dsn" --study "$study" --acked "$work/$name.acked" >/dev/null
  fi
}

for which in $DBS; do
  case $which in
  postgres)
    psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -qc "CREATE DATABASE $db"
    dsn="postgres://postgres@$PGHOST:$PGPORT/$db?sslmode=disable"
    "$srv" migrate up --db "$dsn" >/dev/null
    pgb() { pgbench -h "$PGHOST" -p "$PGPORT" -U postgres -n -T "$SECONDS_PGBENCH" -c "$1" -j 2 -f "$2" "$db" | awk '/^tps/ {print $3}'; }
    one=$(pgb 16 $here/pg_one_response.sql)
    fifty=$(pgb 32 $here/pg_fifty_responses.sql) # 256 would pass the default max_connections of 100
    fifty=$(python3 -c "print(round(float('$fifty')*50))")
    one=$(python3 -c "print(round(float('$one')))")
    psql -h "$PGHOST" -p "$PGPORT" -U postgres -d "$db" -qc "DELETE FROM responses WHERE study_id = 'bench'" -c "VACUUM ANALYZE responses"
    serve "$dsn"
    load pg16 --clients 16 --responses "$RESPONSES_16"
    load pg256 --clients 256 --responses "$RESPONSES_256"
    load pgpx --mode pixel --clients 256 --requests "$PIXELS" --respondents 50000
    load pgpage --mode page --clients 200 --requests "$PAGES" --respondents 5000
    stop_server
    row "PostgreSQL, 16 clients" "$(rate "$work/pg16.json") (p99 $(p99 "$work/pg16.json") ms)" "pgbench, 1 row/txn, 16 clients: $one" "$(ratio "$(rate "$work/pg16.json")" "$one")"
    row "PostgreSQL, 256 clients" "$(rate "$work/pg256.json") (p99 $(p99 "$work/pg256.json") ms)" "pgbench, 50 rows/txn, 32 clients: $fifty" "$(ratio "$(rate "$work/pg256.json")" "$fifty")"
    row "PostgreSQL pixel, 256 clients" "$(rate "$work/pgpx.json") (p99 $(p99 "$work/pgpx.json") ms)" "goal: 10,000" "$(ratio "$(rate "$work/pgpx.json")" 10000)"
    row "PostgreSQL survey page, 200 clients" "$(rate "$work/pgpage.json") (p99 $(p99 "$work/pgpage.json") ms)" "goal: p99 under 50 ms" "p99 $(p99 "$work/pgpage.json") ms"
    ;;
  sqlite)
    dsn="sqlite:$work/bench.db"
    "$srv" migrate up --db "$dsn" >/dev/null
    anchor="$work/anchor.db"
    "$srv" migrate up --db "sqlite:$anchor" >/dev/null
    python3 $here/sqlite_anchor.py "$anchor" 1 20000 >"$work/a1"
    python3 $here/sqlite_anchor.py "$anchor" 50 2000 >"$work/a50"
    one=$(cat "$work/a1") fifty=$(cat "$work/a50")
    serve "$dsn"
    load sq16 --clients 16 --responses "$RESPONSES_16"
    load sq256 --clients 256 --responses "$RESPONSES_256"
    load sqpage --mode page --clients 200 --requests "$PAGES" --respondents 5000
    stop_server
    row "SQLite, 16 clients" "$(rate "$work/sq16.json") (p99 $(p99 "$work/sq16.json") ms)" "sqlite3, 1 row/txn: $one" "$(ratio "$(rate "$work/sq16.json")" "$one")"
    row "SQLite, 256 clients" "$(rate "$work/sq256.json") (p99 $(p99 "$work/sq256.json") ms)" "sqlite3, 50 rows/txn: $fifty" "$(ratio "$(rate "$work/sq256.json")" "$fifty")"
    row "SQLite survey page, 200 clients" "$(rate "$work/sqpage.json") (p99 $(p99 "$work/sqpage.json") ms)" "goal: p99 under 50 ms" "p99 $(p99 "$work/sqpage.json") ms"
    ;;
  esac
done

echo "| case | Brandlift over HTTP, per second | anchor in the same run, per second | ratio |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
