#!/usr/bin/env bash
# Emulator throughput: client credentials with a secret, 16 concurrent
# keep-alive connections on loopback, tokens/s with p50 and p99, side by
# side with oauth2-mock-server (npm) under the same Go load generator, over
# HTTPS (same certificate for both) and plain HTTP. Then the RSA-2048
# signing rates, the bound on token issuance: Go's crypto/rsa with a
# two-prime key, and the four-prime signer (emulator/internal/mprsa) the
# emulator uses for the keys it generates.
# Run through scripts/bench (which builds $AADSTS_BIN): scripts/bench emulator
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${AADSTS_BIN:?run through scripts/bench}"
DUR="${BENCH_DURATION:-10s}"
CONC="${BENCH_CONNECTIONS:-16}"
ROUNDS="${BENCH_ROUNDS:-3}"  # servers take turns; the best round of each is reported

tmp="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

echo "== installing oauth2-mock-server into bench/node"
(cd bench/node && npm install --no-audit --no-fund --silent >/dev/null)
go build -o "$tmp/loadgen" ./emulator/internal/loadgen

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_port() { for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 never opened" >&2; return 1; }

tenant=11111111-2222-3333-4444-555555555555
app=aaaaaaaa-0000-4000-8000-000000000001
secret="Bnc8Q~bench.only.secret.not-real.0123456"
start=$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d '+1 year' +%Y-%m-%dT%H:%M:%SZ)
cat >"$tmp/directory.json" <<JSON
{"tenants":[{"id":"$tenant","displayName":"bench","domains":["bench.onmicrosoft.com"],
 "applications":[{"id":"aaaaaaaa-0000-4000-8000-0000000000a1","appId":"$app","displayName":"bench-daemon",
   "passwordCredentials":[{"keyId":"aaaaaaaa-0000-4000-8000-0000000000c1","displayName":"bench","hint":"Bnc",
     "secretText":"$secret","startDateTime":"$start","endDateTime":"$end"}]}],
 "servicePrincipals":[{"id":"aaaaaaaa-0000-4000-8000-0000000000b1","appId":"$app","displayName":"bench-daemon"}]}]}
JSON
form="grant_type=client_credentials&client_id=$app&client_secret=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$secret")&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"

export AADSTS_DATA_DIR="$tmp/data"
p_emu_tls=$(free_port); p_emu_http=$(free_port); p_mock_tls=$(free_port); p_mock_http=$(free_port)
"$AADSTS_BIN" emulate --directory "$tmp/directory.json" --addr "127.0.0.1:$p_emu_tls" --ca-file "$tmp/ca.pem" 2>"$tmp/emu-tls.log" & pids+=($!); pid_emu_tls=$!
wait_port "$p_emu_tls"
"$AADSTS_BIN" emulate --directory "$tmp/directory.json" --addr "127.0.0.1:$p_emu_http" --insecure-http 2>"$tmp/emu-http.log" & pids+=($!); pid_emu_http=$!
mock=bench/node/node_modules/oauth2-mock-server/dist/oauth2-mock-server.mjs
node "$mock" -a 127.0.0.1 -p "$p_mock_tls" -c "$AADSTS_DATA_DIR/emulator-server.pem" -k "$AADSTS_DATA_DIR/emulator-server-key.pem" >"$tmp/mock-tls.log" 2>&1 & pids+=($!); pid_mock_tls=$!
node "$mock" -a 127.0.0.1 -p "$p_mock_http" >"$tmp/mock-http.log" 2>&1 & pids+=($!); pid_mock_http=$!
for p in "$p_emu_http" "$p_mock_tls" "$p_mock_http"; do wait_port "$p"; done

run() { # label pid url [ca]
  local extra=()
  [ -n "${4:-}" ] && extra=(-ca "$4")
  "$tmp/loadgen" -label "$1" -pid "$2" -url "$3" -form "$form" -c "$CONC" -d "$DUR" "${extra[@]}"
}
echo "== client credentials, $CONC connections, $DUR each, $ROUNDS rounds taking turns (tokens/s, p50, p99)"
: >"$tmp/runs.jsonl"
for round in $(seq 1 "$ROUNDS"); do
  run "aadsts emulate (HTTPS)" "$pid_emu_tls" "https://127.0.0.1:$p_emu_tls/$tenant/oauth2/v2.0/token" "$tmp/ca.pem" >>"$tmp/runs.jsonl"
  run "oauth2-mock-server 8.2.3 (HTTPS)" "$pid_mock_tls" "https://127.0.0.1:$p_mock_tls/token" "$tmp/ca.pem" >>"$tmp/runs.jsonl"
  run "aadsts emulate (HTTP)" "$pid_emu_http" "http://127.0.0.1:$p_emu_http/$tenant/oauth2/v2.0/token" >>"$tmp/runs.jsonl"
  run "oauth2-mock-server 8.2.3 (HTTP)" "$pid_mock_http" "http://127.0.0.1:$p_mock_http/token" >>"$tmp/runs.jsonl"
done

echo "== RSA-2048 signing rates"
bench=$(go test -run '^$' -bench 'BenchmarkRSASign' -benchtime 2s ./emulator/ | grep '^BenchmarkRSASign'
        go test -run '^$' -bench 'BenchmarkSign' -benchtime 2s ./emulator/internal/mprsa | grep '^BenchmarkSign')
echo "$bench"
rsa=$("$tmp/loadgen" -rsa 4s)

python3 - "$tmp/runs.jsonl" "$bench" "$rsa" <<'PY'
import json, sys, re
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
order = ["aadsts emulate (HTTPS)", "oauth2-mock-server 8.2.3 (HTTPS)", "aadsts emulate (HTTP)", "oauth2-mock-server 8.2.3 (HTTP)"]
rows = [max((r for r in runs if r['label'] == name), key=lambda r: r['tokens_per_second']) for name in order]
for name in order:
    print(f"  {name}: rounds " + ", ".join(f"{r['tokens_per_second']:.0f}" for r in runs if r['label'] == name) + " tokens/s")
print(f"{'server':34} {'tokens/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'tokens/CPU-s':>12}")
for r in rows:
    print(f"{r['label']:34} {r['tokens_per_second']:9.0f} {r['p50_ms']:7.2f} {r['p99_ms']:7.2f} {r['errors']:6d} {r.get('tokens_per_cpu_second', 0):12.0f}")
for a, b in ((rows[0], rows[1]), (rows[2], rows[3])):
    if b['tokens_per_second'] > 0:
        print(f"ratio {a['label']} / {b['label']}: {a['tokens_per_second']/b['tokens_per_second']:.2f}x throughput (target >= 1.5x), "
              f"{a.get('tokens_per_cpu_second', 0)/max(b.get('tokens_per_cpu_second', 0), 1e-9):.2f}x per CPU second")
names = {"BenchmarkRSASign": "crypto/rsa, 2 primes, one core", "BenchmarkRSASignParallel": "crypto/rsa, 2 primes, every core",
         "BenchmarkSign": "mprsa, 4 primes, one core", "BenchmarkSignCryptoRSA": "crypto/rsa, 2 primes, one core (mprsa package)"}
for m in re.finditer(r'^(Benchmark\w+)-\d+\s+\d+\s+([\d.]+) ns/op', sys.argv[2], re.M):
    print(f"{m.group(1)} ({names.get(m.group(1), '?')}): {1e9/float(m.group(2)):.0f} signatures/s (wall clock, depends on the machine's load)")
bounds = {b['signer']: b['signatures_per_cpu_second'] for b in map(json.loads, sys.argv[3].splitlines())}
for name, rate in bounds.items():
    print(f"RSA-2048 RS256 bound, {name}: {rate:.0f} signatures per CPU second")
# The emulator signs with the four-prime key it generates (no key is given
# here); a key brought with Options.SigningKey would sign with crypto/rsa.
own, go = bounds["mprsa, 4 primes"], bounds["crypto/rsa, 2 primes"]
for r in (rows[0], rows[2]):
    if r.get('tokens_per_cpu_second'):
        print(f"{r['label']}: {r['tokens_per_cpu_second']/own:.0%} of the bound of its signer (mprsa, 4 primes), "
              f"{r['tokens_per_cpu_second']/go:.0%} of Go's crypto/rsa bound, per CPU second")
PY
