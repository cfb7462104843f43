#!/usr/bin/env bash
# Does channels-last pay, architecture by architecture? For every network Kodiak builds (from `kodiak weights list`),
# `kodiak bench train-step` and `bench infer` in the NHWC layout Kodiak uses by default and in plain NCHW, one right
# after the other on the same batch, size, threads and precision; prints images/second and the ratio NHWC / NCHW
# (above 1: channels-last pays). The CPU model and flags are printed first: the answer depends on the CPU's kernels.
# Usage: bench/channels-last.sh [bs] [size] [iterations]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bs="${1:-16}"; size="${2:-128}"; iterations="${3:-5}"
kodiak="$here/../kodiak"
"$kodiak" --version >/dev/null  # build the jar first, outside the timings
"$kodiak" bench cpu
echo "load average before: $(cat /proc/loadavg)"
archs="$("$kodiak" weights list --json | python3 -c 'import json, sys; print(" ".join(a["name"] for a in json.load(sys.stdin)["architectures"]))')"

median() { python3 -c 'import json, sys; print("%.2f" % json.loads(sys.stdin.read().strip().splitlines()[-1])["images_per_second"]["median"])'; }

printf "%-20s %-10s %12s %12s %8s\n" arch benchmark "NHWC img/s" "NCHW img/s" "NHWC/NCHW"
for arch in $archs; do
  for benchmark in train-step infer; do
    common=(bench "$benchmark" --arch "$arch" --bs "$bs" --size "$size" --iterations "$iterations" --precision fp32 --json)
    nhwc="$("$kodiak" "${common[@]}" 2>/dev/null | median)"
    nchw="$("$kodiak" "${common[@]}" --no-channels-last 2>/dev/null | median)"
    printf "%-20s %-10s %12s %12s %8s\n" "$arch" "$benchmark" "$nhwc" "$nchw" \
      "$(python3 -c "print('%.2f' % ($nhwc / $nchw))")"
  done
done
echo "load average after: $(cat /proc/loadavg)"
