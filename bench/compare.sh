#!/usr/bin/env bash
# Kodiak vs PyTorch eager (Debian python3-torch), back to back, same threads, several rounds: prints the ratio
# Kodiak/PyTorch of images/second for the training step and inference, fp32 and bf16.
# Usage: bench/compare.sh [rounds] [arch] [bs] [size]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${1:-2}"; arch="${2:-resnet18}"; bs="${3:-64}"; size="${4:-128}"; threads="$(nproc)"
kodiak="$here/../kodiak"
"$kodiak" --version >/dev/null  # build first, outside the timings
/usr/bin/python3 -c "import torch, torchvision" || { echo "needs: apt-get install python3-torch python3-torchvision" >&2; exit 1; }
median() { python3 -c "import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
echo "== $(date -u +%FT%TZ) $threads threads, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $arch bs $bs size $size"
printf "%-12s %-5s %10s %10s %7s\n" benchmark prec kodiak pytorch ratio
for bench in train-step infer; do
  for prec in fp32 bf16; do
    k=(); p=()
    for r in $(seq "$rounds"); do
      k+=("$("$kodiak" bench "$bench" --arch "$arch" --bs "$bs" --size "$size" --threads "$threads" --precision "$prec" --json \
            | python3 -c "import sys,json; print(json.loads(sys.stdin.readline())['images_per_second']['median'])")")
      p+=("$(/usr/bin/python3 "$here/peer_pytorch.py" "$bench" --arch "$arch" --bs "$bs" --size "$size" --threads "$threads" \
            --precision "$prec" --channels-last | python3 -c "import sys,json; print(json.loads(sys.stdin.readline())['images_per_second']['median'])")")
    done
    km=$(median "${k[@]}"); pm=$(median "${p[@]}")
    printf "%-12s %-5s %10.1f %10.1f %7.2f\n" "$bench" "$prec" "$km" "$pm" "$(python3 -c "print($km/$pm)")"
  done
done
