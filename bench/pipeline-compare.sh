#!/usr/bin/env bash
# Kodiak's data pipeline vs a PyTorch DataLoader doing the same work (peer_pipeline.py: PIL decode, torchvision
# resize + augment, num_workers = Kodiak's workers), back to back per worker count, several rounds: prints the
# median images/second of both and the ratio Kodiak/PyTorch (issue #8 asks for >= 1.2).
# Usage: bench/pipeline-compare.sh [DIR] [size] [workers...]     (default: the demo data, 128, 1 and nproc)
# Environment: ROUNDS (invocations of each side per worker count, default 3), PASSES (timed passes over the data
# per invocation, default 3), BS (default 64), NO_AUGMENT=1 (leave out the augmentations on both sides),
# JPEGS=N (instead of DIR: N generated photo-like 500x375 JPEGs in a temporary folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-$here/../data/clipart3}"; size="${2:-128}"
shift $(( $# < 2 ? $# : 2 ))
workers=("$@"); [ ${#workers[@]} -eq 0 ] && workers=(1 "$(nproc)")
rounds="${ROUNDS:-3}"; passes="${PASSES:-3}"; bs="${BS:-64}"
kodiak="${KODIAK:-$here/../kodiak}"  # KODIAK: another launcher (a prebuilt jar)
"$kodiak" --version >/dev/null  # build first, outside the timings
/usr/bin/python3 -c "import torch, torchvision, PIL" || { echo "needs: apt-get install python3-torch python3-torchvision python3-pil" >&2; exit 1; }
if [ -n "${JPEGS:-}" ]; then
  dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
  /usr/bin/python3 - "$dir" "$JPEGS" <<'PY'
import os, sys, numpy as np
from PIL import Image
root, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(7)
yy, xx = np.mgrid[0:375, 0:500]
for i in range(n):  # smooth gradients plus noise, like `kodiak bench pipeline --generate-jpegs`
    cx, cy = rng.integers(500), rng.integers(375)
    d = np.hypot(xx - cx, yy - cy) / 300.0
    noise = rng.integers(0, 30, size=(3, 375, 500))
    px = np.stack([200 - d * 120 + noise[0], 80 + xx * 120 / 500 + noise[1], 60 + yy * 150 / 375 + noise[2]], -1)
    label = os.path.join(root, "a" if i % 2 == 0 else "b")
    os.makedirs(label, exist_ok=True)
    Image.fromarray(np.clip(px, 0, 255).astype(np.uint8)).save(os.path.join(label, f"img{i:04d}.jpg"), quality=90)
PY
fi
augment=(); [ -n "${NO_AUGMENT:-}" ] && augment=(--no-augment)
median() { python3 -c "import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
ips() { python3 -c "import sys,json; print(json.loads(sys.stdin.readline())['images_per_second']['median'])"; }
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu), $dir size $size bs $bs," \
  "${NO_AUGMENT:+no }augmentation, $rounds rounds x $passes passes"
printf "%-8s %10s %10s %7s\n" workers kodiak pytorch ratio
for w in "${workers[@]}"; do
  k=(); p=()
  for r in $(seq "$rounds"); do
    k+=("$("$kodiak" bench pipeline "$dir" --workers "$w" --size "$size" --bs "$bs" --rounds "$passes" "${augment[@]}" --json 2>/dev/null | ips)")
    p+=("$(/usr/bin/python3 "$here/peer_pipeline.py" "$dir" --workers "$w" --size "$size" --bs "$bs" --rounds "$passes" \
          --threads "$(nproc)" "${augment[@]}" | ips)")
  done
  km=$(median "${k[@]}"); pm=$(median "${p[@]}")
  printf "%-8s %10.1f %10.1f %7.2f\n" "$w" "$km" "$pm" "$(python3 -c "print($km/$pm)")"
done
