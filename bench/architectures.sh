#!/usr/bin/env bash
# Every architecture Kodiak builds (Architectures.all()) against PyTorch 1.13 eager (Debian's python3-torch), each
# Kodiak figure followed at once by PyTorch's on the same network, batch, threads and precision: training step and
# inference images/second, fp32, and bf16 where the CPU has it in hardware (ArchitectureBench.java). Writes
# bench/results/architectures.json (read by `kodiak weights list`) and a dated copy with the CPU and load average.
# Usage: bench/architectures.sh [bs] [size] [iterations]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bs="${1:-16}"; size="${2:-128}"; iterations="${3:-5}"
kodiak="$here/../kodiak"
"$kodiak" --version >/dev/null  # build the jar first, outside the timings
/usr/bin/python3 -c "import torch, torchvision" || { echo "needs: apt-get install python3-torch python3-torchvision" >&2; exit 1; }
"$kodiak" bench cpu
echo "load average before: $(cat /proc/loadavg)"
out="$here/results/architectures.json"
# the launcher's allocator settings are part of the measured speed (see ../kodiak)
GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=16777216:glibc.malloc.trim_threshold=134217728:glibc.malloc.hugetlb=1}" \
  java -cp "$here/../kodiak-cli/target/kodiak.jar" "$here/ArchitectureBench.java" "$out" "$bs" "$size" "$iterations" \
  "$here/peer_pytorch.py"
echo "load average after: $(cat /proc/loadavg)"
cp "$out" "$here/results/architectures-$(date -u +%F).json"
