#!/usr/bin/env bash
# fp32 vs bf16 (autocast) on the same short training runs, several seeds: final accuracy and training time of each.
# The decision "--precision auto by default" rests on this: bf16 must not be worse than fp32 by more than noise.
# Usage: bench/precision.sh DIR [size] [epochs] [seeds...]     (e.g. bench/precision.sh data/clipart3 64 3 1 2 3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kodiak="${KODIAK:-$here/../kodiak}"  # KODIAK: another launcher (a prebuilt jar)
dir="$1"; size="${2:-64}"; epochs="${3:-3}"; shift $(( $# < 3 ? $# : 3 )); seeds=("$@"); [ ${#seeds[@]} -eq 0 ] && seeds=(1 2 3)
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu), $dir, --weights none --size $size --epochs $epochs"
printf "%-5s %-5s %9s %9s %8s\n" seed prec accuracy valid_loss seconds
for s in "${seeds[@]}"; do
  for p in fp32 bf16; do
    "$kodiak" train "$dir" --weights none --size "$size" --epochs "$epochs" --seed "$s" --precision "$p" \
        --out "$out/m.kodiak" --json 2>/dev/null | tail -1 | python3 -c "
import sys, json
d = json.loads(sys.stdin.readline())
print(f\"{'$s':<5} {'$p':<5} {d['final']['accuracy']:9.4f} {d['final']['valid_loss']:9.4f} {d['seconds']:8.1f}\")"
  done
done
