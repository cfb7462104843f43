#!/usr/bin/env bash
# batch-predict on an embedded Spark vs `kodiak predict` on the same files, in the same run: images/second of each,
# and the per-image cost Spark adds (fixed costs such as JVM, Spark and model start cancel out: each tool runs on
# all DIR's images and on the first SMALL of them, and the per-image time is the difference / the difference in count).
# Usage: bench/spark.sh [MODEL.kodiak] [DIR] [SMALL]   (defaults: a ResNet-18 at 128 px trained for 1 epoch on the demo
#        data, written once to bench/results/serve-resnet18-128.kodiak; data/clipart3 (750 images); 16)
# Pairs: kodiak predict with 1 libtorch thread vs local[1]; with 2 threads (all of a 2-core machine) vs local[2]
# (one libtorch thread per task). Both --bs 64. Run through the launcher (its GLIBC_TUNABLES are part of the speed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kodiak="${KODIAK:-$here/../kodiak}"
model="${1:-$here/results/serve-resnet18-128.kodiak}"
dir="$(cd "${2:-$here/../data/clipart3}" && pwd)"
small_n="${3:-16}"
if [ ! -f "$model" ]; then
  echo "== training a ResNet-18 (128 px, 1 epoch, random init) for the benchmark: $model" >&2
  mkdir -p "$(dirname "$model")"
  "$kodiak" train --epochs 1 --size 128 --bs 32 --weights none --out "$model" >&2
fi
"$kodiak" batch-predict --help >/dev/null  # builds the Spark job's jar outside the timings
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
small="$work/small"
mkdir -p "$small"
# the list is read whole (not cut with `head`: under pipefail the cut pipe's SIGPIPE would end the script)
mapfile -t images < <(find "$dir" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) -not -path '*/.*' | sort)
for f in "${images[@]:0:$small_n}"; do cp "$f" "$small/"; done
n_all=$(find "$dir" -type f \( -iname '*.png' -o -iname '*.jpg' -o -iname '*.jpeg' \) -not -path '*/.*' | wc -l)
n_small=$(find "$small" -type f | wc -l)

echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu)"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg); model $model; $n_all images in $dir; small set $n_small"

seconds() {  # wall seconds of a command, its output discarded
  local start end
  start=$(date +%s.%N)
  local rc=0
  "$@" >/dev/null 2>&1 || rc=$?
  if [ "$rc" -gt 1 ]; then echo "failed ($rc): $*" >&2; exit 1; fi  # 1: some images unreadable, still timed
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
run_predict() { KODIAK_THREADS="$1" seconds "$kodiak" predict "$model" "$2" --bs 64 --json; }
run_spark() { rm -rf "$work/out"; seconds "$kodiak" batch-predict "$model" "$2" --out "$work/out" --format parquet --master "local[$1]" --bs 64; }

printf '%-34s %9s %9s %10s %12s\n' "tool" "all (s)" "small (s)" "images/s" "ms/image"
declare -A per
for threads in 1 2; do
  for tool in predict spark; do
    all=$(run_$tool "$threads" "$dir")
    few=$(run_$tool "$threads" "$small")
    per["$tool$threads"]=$(echo "($all - $few) / ($n_all - $n_small) * 1000" | bc -l)
    name=$([ "$tool" = predict ] && echo "kodiak predict, $threads thread(s)" || echo "batch-predict --master local[$threads]")
    printf '%-34s %9.1f %9.1f %10.1f %12.2f\n' "$name" "$all" "$few" "$(echo "$n_all / $all" | bc -l)" "${per[$tool$threads]}"
  done
done
for threads in 1 2; do
  printf 'Spark adds per image at %d core(s): %.2f ms (%.0f%% of predict'"'"'s %.2f ms/image); marginal images/s: predict %.1f, batch-predict %.1f\n' \
    "$threads" "$(echo "${per[spark$threads]} - ${per[predict$threads]}" | bc -l)" \
    "$(echo "(${per[spark$threads]} - ${per[predict$threads]}) / ${per[predict$threads]} * 100" | bc -l)" "${per[predict$threads]}" \
    "$(echo "1000 / ${per[predict$threads]}" | bc -l)" "$(echo "1000 / ${per[spark$threads]}" | bc -l)"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
