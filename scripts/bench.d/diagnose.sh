#!/usr/bin/env bash
# `aadsts diagnose assertion` as a whole process: median wall time over N
# runs (target: under 30 ms), for an accepted assertion and a failing one,
# with a certificate and an app registration export.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="${AADSTS_BIN:-dist/aadsts}"
[ -x "$BIN" ] || go build -o "$BIN" ./cmd/aadsts
N="${N:-41}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
go run ./scripts/bench.d/diagnosefixture "$dir"
ep="$(cat "$dir/endpoint")"
now="$(cat "$dir/now")"

median_ms() { # runs "$@" N times, prints the median wall time in ms
  local times=()
  for _ in $(seq "$N"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

for case in ok key-expired; do
  ms=$(median_ms "$BIN" diagnose assertion --assertion "$dir/$case.jwt" --cert "$dir/cert.pem" \
        --app "$dir/app.json" --token-endpoint "$ep" --now "$now" -o json)
  echo "diagnose assertion ($case, json): median ${ms} ms over $N runs"
done
ms=$(median_ms "$BIN" version)
echo "aadsts version (process start baseline): median ${ms} ms over $N runs"
