#!/usr/bin/env bash
# Data-parallel training step on this machine: 1 process x 2 threads vs 2 processes x 1 thread (gradients averaged
# after backward, or overlapped with it by c10d's Reducer), same global batch, ResNet-18, random data, SGD.
# Usage: bench/data-parallel.sh [global bs] [size] [steps]      (defaults 64 64 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kodiak="${KODIAK:-$here/../kodiak}"
bs="${1:-64}"; size="${2:-64}"; steps="${3:-5}"
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu), ResNet-18, global batch $bs, ${size}px, median of $steps steps"
jar="$here/../kodiak-cli/target/kodiak.jar"
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=16777216:glibc.malloc.trim_threshold=134217728:glibc.malloc.hugetlb=1}"
# Gloo's "connected to 1 peer ranks" notes go; an error still shows (stderr) and fails the script (pipefail)
run() { java -Xmx2g -cp "$jar" "$here/DataParallelStep.java" "$@" 2> >(grep -v 'Gloo' >&2) | { grep -v 'Gloo' || true; }; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
run 0 1 0 2 "$bs" "$size" "$steps" local
for mode in allreduce reducer; do
  port=$(free_port)
  run 1 2 "$port" 1 "$bs" "$size" "$steps" "$mode" >/dev/null &
  run 0 2 "$port" 1 "$bs" "$size" "$steps" "$mode"
  wait
done
