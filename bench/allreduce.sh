#!/usr/bin/env bash
# All-reduce throughput between processes on this machine (Gloo over loopback), through Kodiak's DistributedGroup:
# ResNet-18/34/50 gradients in 25 MB buckets and flat tensors. Prints the CPU first, then rank 0's table.
# Usage: bench/allreduce.sh [processes] [threads per process] [rounds]      (defaults 2 1 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kodiak="${KODIAK:-$here/../kodiak}"
world="${1:-2}"; threads="${2:-1}"; rounds="${3:-5}"
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu)"
jar="$here/../kodiak-cli/target/kodiak.jar"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=16777216:glibc.malloc.trim_threshold=134217728:glibc.malloc.hugetlb=1}"
pids=()
for ((r = 1; r < world; r++)); do
  java -Xmx2g -cp "$jar" "$here/AllReduceBench.java" "$r" "$world" "$port" "$threads" "$rounds" >/dev/null &
  pids+=($!)
done
java -Xmx2g -cp "$jar" "$here/AllReduceBench.java" 0 "$world" "$port" "$threads" "$rounds"
for p in "${pids[@]}"; do wait "$p"; done
