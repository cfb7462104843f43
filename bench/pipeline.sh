#!/usr/bin/env bash
# Data pipeline throughput at 1 and N workers: the demo data (128 px) and generated 500x375 JPEGs (224 px).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kodiak="${KODIAK:-$here/../kodiak}"  # KODIAK: another launcher (a prebuilt jar)
workers="1,$(nproc)"
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu)"
"$kodiak" bench pipeline --workers "$workers" --rounds 5 --size 128
"$kodiak" bench pipeline --generate-jpegs 512 --workers "$workers" --rounds 3 --size 224
