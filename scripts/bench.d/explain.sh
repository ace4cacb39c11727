#!/usr/bin/env bash
# Median wall time of `aadsts explain` as a whole process (start-up, catalog,
# parse, render), on a real token-endpoint error. Target: under 20 ms.
# Run through scripts/bench (which builds dist/aadsts and sets AADSTS_BIN):
#   scripts/bench explain          RUNS=200 scripts/bench explain
set -euo pipefail
bin=${AADSTS_BIN:-dist/aadsts}
runs=${RUNS:-100}
input='{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '"'"'396c2760-2fa5-4948-b9d5-9839a7440836'"'"'.\r\nTrace ID: 3ce379e4-441f-4eae-9730-fc0220183001\r\nCorrelation ID: 54752956-bf4f-48f1-b808-6ecae2522f59\r\nTimestamp: 2022-06-18 03:16:39Z","error_codes":[7000215],"timestamp":"2022-06-18 03:16:39Z","trace_id":"3ce379e4-441f-4eae-9730-fc0220183001","correlation_id":"54752956-bf4f-48f1-b808-6ecae2522f59","error_uri":"https://login.microsoftonline.com/error?code=7000215"}'

# median NAME CMD...: run CMD $runs times (stdin: $input) and print the median.
median() {
  local name=$1; shift
  local times=()
  "$@" <<<"$input" >/dev/null || true # warm the page cache
  for ((i = 0; i < runs; i++)); do
    local s e
    s=$(date +%s%N)
    "$@" <<<"$input" >/dev/null || true
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  local med p90
  med=$(sed -n "$(( runs / 2 + 1 ))p" <<<"$sorted")
  p90=$(sed -n "$(( runs * 9 / 10 + 1 ))p" <<<"$sorted")
  awk -v n="$name" -v m="$med" -v p="$p90" -v r="$runs" \
    'BEGIN { printf "%-34s median %6.2f ms   p90 %6.2f ms   (%d runs)\n", n, m / 1000, p / 1000, r }'
}

export NO_COLOR=1
median "aadsts version (baseline)" "$bin" version
median "aadsts explain (text)" "$bin" explain
median "aadsts explain --output json" "$bin" explain --output json
median "aadsts explain --output markdown" "$bin" explain --output markdown
median "aadsts explain 700027 (bare code)" "$bin" explain 700027
