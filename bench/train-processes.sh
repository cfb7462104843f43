#!/usr/bin/env bash
# `kodiak train` end to end on this machine: 1 process x T threads vs N processes x T/N threads (--processes), same
# data, recipe and global batch. Prints each run's epoch seconds and final line.
# Usage: bench/train-processes.sh [DIR] [size] [bs] [epochs] [N]   (defaults data/clipart3 64 64 1 2)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kodiak="${KODIAK:-$here/../kodiak}"
dir="${1:-$here/../data/clipart3}"; size="${2:-64}"; bs="${3:-64}"; epochs="${4:-1}"; n="${5:-2}"
threads="$(nproc)"
out="$(mktemp -d)"
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   kodiak train $dir --weights none --size $size --bs $bs --epochs $epochs --precision fp32"
for procs in 1 "$n"; do
  start=$(date +%s.%N)
  "$kodiak" train "$dir" --weights none --size "$size" --bs "$bs" --epochs "$epochs" --precision fp32 --json \
    --processes "$procs" --threads "$threads" --out "$out/m$procs.kodiak" 2>/dev/null > "$out/run$procs.json"
  end=$(date +%s.%N)
  echo "-- $procs process(es) x $((threads / procs)) thread(s): wall $(echo "$end - $start" | bc) s, load $(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$out/run$procs.json"
done
rm -rf "$out"
