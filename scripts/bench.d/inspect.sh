#!/usr/bin/env bash
# Median wall time of `aadsts inspect` as a whole process on real samples:
# a 2014 v1 token, the 2014 JWKS, the AAD Graph app with its certificate.
# Run through scripts/bench (which builds dist/aadsts and sets AADSTS_BIN):
#   scripts/bench inspect          RUNS=200 scripts/bench inspect
set -euo pipefail
bin=${AADSTS_BIN:-dist/aadsts}
runs=${RUNS:-100}
data=${AADSTS_SHARED:-../shared/data}

# median NAME CMD...: run CMD $runs times and print the median and p90.
median() {
  local name=$1; shift
  local times=()
  "$@" >/dev/null 2>&1 || true # warm the page cache
  for ((i = 0; i < runs; i++)); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  local sorted med p90
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  med=$(sed -n "$(( runs / 2 + 1 ))p" <<<"$sorted")
  p90=$(sed -n "$(( runs * 9 / 10 + 1 ))p" <<<"$sorted")
  awk -v n="$name" -v m="$med" -v p="$p90" -v r="$runs" \
    'BEGIN { printf "%-40s median %6.2f ms   p90 %6.2f ms   (%d runs)\n", n, m / 1000, p / 1000, r }'
}

export NO_COLOR=1
median "aadsts version (baseline)" "$bin" version
median "aadsts inspect token (text)" "$bin" inspect "$data/tokens/aad-v1-2014_id-token_tenant-add29489_cyrano.jwt"
median "aadsts inspect token --output json" "$bin" inspect -o json "$data/tokens/aad-v1-2014_id-token_tenant-add29489_cyrano.jwt"
median "aadsts inspect JWKS (2014 keys)" "$bin" inspect "$data/oidc/identitymodel-tests_JsonWebKeySet_aad-2012-2014-keys.json"
median "aadsts inspect Graph app with certificate" "$bin" inspect "$data/apps/azure-cli_aadgraph1.6_POST-applications_with-keyCredential.request.json"
