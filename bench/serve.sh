#!/usr/bin/env bash
# Load on `kodiak serve`: requests/second and p50/p99 latency at 1, 4 and 16 concurrent clients, CPU, loopback only.
# Usage: bench/serve.sh [MODEL.kodiak]   (default: a ResNet-18 at 128 px trained for 1 epoch on the demo data,
#        written once to bench/results/serve-resnet18-128.kodiak). Bounded: 200 timed requests per level, 120 s max.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kodiak="${KODIAK:-$here/../kodiak}"  # KODIAK: another launcher (a prebuilt jar)
model="${1:-$here/results/serve-resnet18-128.kodiak}"
port="${KODIAK_BENCH_PORT:-18093}"
if [ ! -f "$model" ]; then
  echo "== training a ResNet-18 (128 px, 1 epoch, random init) for the benchmark: $model" >&2
  mkdir -p "$(dirname "$model")"
  "$kodiak" train --epochs 1 --size 128 --bs 32 --weights none --out "$model" >&2
fi
image="$(find "$here/../data/clipart3" -type f \( -name '*.png' -o -name '*.jpg' \) | sort | sed -n 1p)"  # sed reads it all: no SIGPIPE under pipefail
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu)"
echo "== model $model, image $image ($(stat -c %s "$image") bytes)"
log="$(mktemp)"
"$kodiak" serve "$model" --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then cat "$log" >&2; exit 1; fi
  sleep 0.5
done
"$kodiak" bench serve "http://127.0.0.1:$port/" --image "$image" --clients 1,4,16 --requests 200 --warmup 20 --max-seconds 120
