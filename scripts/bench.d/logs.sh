#!/usr/bin/env bash
# Sign-in log import and reports at scale, side by side with DuckDB.
# Builds a synthetic file of N (default 1,000,000) service-principal
# sign-in records from the shared samples, imports it with
# `aadsts logs import` (rate and peak memory via /usr/bin/time -v), times
# `logs report --by code` and `--by app` (best of 3), then loads the same
# file into DuckDB (@duckdb/node-api, read_json) and groups it the same way.
# Env: N (records), BENCH_DIR (scratch, default a temp dir), AADSTS_BIN.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
n=${N:-1000000}
bin=${AADSTS_BIN:-}
if [ -z "$bin" ]; then
  mkdir -p dist && go build -o dist/aadsts ./cmd/aadsts && bin=$PWD/dist/aadsts
fi
work=${BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
log=$work/sp-$n.log
db=$work/bench.db
samples=$root/../shared/data/signins/elastic_test-service-principal-signinlogs-sample.log

echo "== generating $n service-principal sign-ins from $(basename "$samples")"
go run ./bench/logs/gen -n "$n" -samples "$samples" > "$log"
size=$(stat -c %s "$log")
echo "file: $log ($((size / 1048576)) MiB)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"

rm -f "$db" "$db-wal" "$db-shm"
/usr/bin/time -v "$bin" logs import --db "$db" "$log" > "$work/import.out" 2> "$work/import.time"
cat "$work/import.out"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/import.time")
secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/import.time")
cpu=$(awk -F': ' '/Percent of CPU this job got/ {print $2}' "$work/import.time")
usr=$(awk -F': ' '/User time/ {print $2}' "$work/import.time")
sys=$(awk -F': ' '/System time/ {print $2}' "$work/import.time")
rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%d", n / s }')
echo "aadsts import: ${secs}s wall, ${rate} records/s, peak RSS $((rss / 1024)) MiB, CPU ${cpu} (user ${usr}s, sys ${sys}s)"
echo "store: $(du -h "$db" | cut -f1)"

best_ms() {
  local best=""
  for _ in 1 2 3; do
    local s e
    s=$(date +%s%N)
    "$bin" logs report --db "$db" --by "$1" --output json > /dev/null
    e=$(date +%s%N)
    local ms=$(( (e - s) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}
code_ms=$(best_ms code)
app_ms=$(best_ms app)
echo "aadsts report --by code: ${code_ms} ms, --by app: ${app_ms} ms (whole command, best of 3)"

if ! command -v node > /dev/null; then
  echo "DuckDB: SKIPPED (node is missing)"
  exit 0
fi
(cd bench/logs && { [ -d node_modules/@duckdb/node-api ] || npm install --no-audit --no-fund --silent; })
duck=$(cd bench/logs && node duckdb.mjs "$log")
echo "duckdb: $duck"
node -e '
const d = JSON.parse(process.argv[1]);
const rate = +process.argv[2], code = +process.argv[3], app = +process.argv[4];
console.log(`DuckDB load ${d.load_rate} records/s; aadsts/DuckDB import rate ratio ${(rate / d.load_rate).toFixed(2)} (DuckDB ${(d.load_rate / rate).toFixed(2)}x faster)`);
console.log(`group by code: aadsts ${code} ms vs DuckDB ${d.by_code.ms} ms (ratio ${(code / d.by_code.ms).toFixed(2)})`);
console.log(`group by app:  aadsts ${app} ms vs DuckDB ${d.by_app.ms} ms (ratio ${(app / d.by_app.ms).toFixed(2)})`);
' "$duck" "$rate" "$code_ms" "$app_ms"
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
