#!/usr/bin/env bash
# Kodiak vs PyTorch eager (Debian python3-torch), back to back, same threads, several rounds (medians).
# Throughput (images/second) of the training step and of inference, fp32 and bf16, against PyTorch with its
# defaults (NCHW; the issue's baseline) and against PyTorch tuned with channels-last; then single-image latency
# at 224 px (Kodiak: a loaded .kodiak predictor, batch 1; PyTorch: one forward of the same network).
# Usage: bench/compare.sh [rounds] [arch] [bs] [size]
# PRECISIONS="fp32" skips bf16 (emulated, 5-15x slower and slow to measure, on CPUs without AVX-512 BF16/AMX-BF16).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${1:-3}"; arch="${2:-resnet18}"; bs="${3:-64}"; size="${4:-128}"; threads="$(nproc)"
kodiak="${KODIAK:-$here/../kodiak}"  # KODIAK: another launcher (a prebuilt jar)
"$kodiak" --version >/dev/null  # build first, outside the timings
/usr/bin/python3 -c "import torch, torchvision" || { echo "needs: apt-get install python3-torch python3-torchvision" >&2; exit 1; }
median() { python3 -c "import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
field() { python3 -c "import sys,json; d=json.loads(sys.stdin.readline()); print(eval('d' + sys.argv[1]))" "$1"; }
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
echo "== $(date -u +%FT%TZ) $threads threads, $arch bs $bs size $size, $rounds rounds"
"$kodiak" bench cpu  # the CPU beside every figure: model, cores, vector/matrix flags
printf "%-11s %-5s %9s %9s %6s %9s %6s\n" benchmark prec kodiak pytorch ratio pt-cl ratio
for bench in train-step infer; do
  for prec in ${PRECISIONS:-fp32 bf16}; do
    k=(); p=(); c=()
    for r in $(seq "$rounds"); do
      k+=("$("$kodiak" bench "$bench" --arch "$arch" --bs "$bs" --size "$size" --threads "$threads" --precision "$prec" --json \
            | field "['images_per_second']['median']")")
      p+=("$(/usr/bin/python3 "$here/peer_pytorch.py" "$bench" --arch "$arch" --bs "$bs" --size "$size" --threads "$threads" \
            --precision "$prec" | field "['images_per_second']['median']")")
      c+=("$(/usr/bin/python3 "$here/peer_pytorch.py" "$bench" --arch "$arch" --bs "$bs" --size "$size" --threads "$threads" \
            --precision "$prec" --channels-last | field "['images_per_second']['median']")")
    done
    km=$(median "${k[@]}"); pm=$(median "${p[@]}"); cm=$(median "${c[@]}")
    printf "%-11s %-5s %9.1f %9.1f %6s %9.1f %6s\n" "$bench" "$prec" "$km" "$pm" "$(ratio "$km" "$pm")" "$cm" "$(ratio "$km" "$cm")"
  done
done
# Latency of a warmed-up service: 200 untimed calls first on both sides (the JVM compiles the predict path during
# its first hundred calls; with 10, the JIT showed in Kodiak's p99), then 500 timed calls so that p99 is not one call.
echo "-- single-image latency, $arch 224 px, ms (p50 / p99); ratio = Kodiak p50 / PyTorch p50 (lower is better)"
k50=(); k99=(); p50=(); p99=()
for r in $(seq "$rounds"); do
  j="$("$kodiak" bench infer --arch "$arch" --bs 1 --size 224 --threads "$threads" --iterations 500 --warmup 200 --json)"
  k50+=("$(echo "$j" | field "['latency_ms']['p50']")"); k99+=("$(echo "$j" | field "['latency_ms']['p99']")")
  j="$(/usr/bin/python3 "$here/peer_pytorch.py" infer --arch "$arch" --bs 1 --size 224 --threads "$threads" --iterations 500 --warmup 200)"
  p50+=("$(echo "$j" | field "['latency_ms']['p50']")"); p99+=("$(echo "$j" | field "['latency_ms']['p99']")")
done
printf "kodiak %.1f / %.1f   pytorch %.1f / %.1f   ratio %s\n" "$(median "${k50[@]}")" "$(median "${k99[@]}")" \
  "$(median "${p50[@]}")" "$(median "${p99[@]}")" "$(ratio "$(median "${k50[@]}")" "$(median "${p50[@]}")")"
