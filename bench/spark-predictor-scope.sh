#!/usr/bin/env bash
# KodiakPredictor on an embedded Spark: one predictor per executor JVM vs one per task thread (issue #17), images/s on
# the same files at local[N], rounds alternating (bench/PredictorScope.java).
# Usage: bench/spark-predictor-scope.sh [MODEL.kodiak] [DIR] [local[N]] [rounds]
#        (defaults: bench/results/serve-resnet18-128.kodiak as bench/spark.sh trains it, data/clipart3, local[2], 3)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
kodiak="${KODIAK:-$here/../kodiak}"
model="${1:-$here/results/serve-resnet18-128.kodiak}"
dir="$(cd "${2:-$here/../data/clipart3}" && pwd)"
master="${3:-local[2]}"; rounds="${4:-3}"
if [ ! -f "$model" ]; then
  echo "== training a ResNet-18 (128 px, 1 epoch, random init) for the benchmark: $model" >&2
  mkdir -p "$(dirname "$model")"
  "$kodiak" train --epochs 1 --size 128 --bs 32 --weights none --out "$model" >&2
fi
"$kodiak" batch-predict --help >/dev/null  # builds the Spark job's jar and its class path
launcher="$here/../kodiak-spark/target/launcher"
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu), load $(cut -d' ' -f1-3 /proc/loadavg)"
export SPARK_LOCAL_IP=127.0.0.1
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=16777216:glibc.malloc.trim_threshold=134217728:glibc.malloc.hugetlb=1}"
# shellcheck disable=SC2046 # one JVM option per word
java $(cat "$launcher/java-options") -Xmx4g -Dlog4j2.configurationFile="$launcher/log4j2.properties" \
  -cp "$here/../kodiak-spark/target/kodiak-spark.jar:$(cat "$launcher/class-path")" "$here/PredictorScope.java" \
  "$model" "$dir" "$master" "$rounds"
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
