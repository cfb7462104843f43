#!/usr/bin/env bash
# Kodiak's audio pipeline vs torchaudio + a PyTorch DataLoader doing the same work, in one run: decode -> resample to
# 16 kHz -> 1 s fixed duration -> batches of 32 -> mel spectrogram (n_fft 1024, hop 256, 64 mels) -> dB, with the same
# number of loader workers on both sides (AudioPipelineBench.java vs peer_audio.py), alternating per round. Prints
# the CPU, the load average before and after, the median clips/second of both per worker count and the ratio
# Kodiak/PyTorch. Usage: bench/audio-compare.sh [DIR] [workers...]   (default: data/words4, 1 and nproc)
# Environment: ROUNDS (invocations of each side per worker count, default 3), PASSES (timed passes over the data per
# invocation, default 3), BS (default 32).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-$here/../data/words4}"
shift $(( $# < 1 ? $# : 1 ))
workers=("$@"); [ ${#workers[@]} -eq 0 ] && workers=(1 "$(nproc)")
rounds="${ROUNDS:-3}"; passes="${PASSES:-3}"; bs="${BS:-32}"
kodiak="${KODIAK:-$here/../kodiak}"
"$kodiak" --version >/dev/null  # build first, outside the timings
jar="$here/../kodiak-cli/target/kodiak.jar"
/usr/bin/python3 -c "import torch, torchaudio" || { echo "needs: apt-get install python3-torch python3-torchaudio" >&2; exit 1; }
# the launcher's allocator settings are part of the measured speed (bench/README.md)
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=16777216:glibc.malloc.trim_threshold=134217728:glibc.malloc.hugetlb=1}"
median() { python3 -c "import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
cps() { python3 -c "import sys,json; print(json.loads(sys.stdin.readlines()[-1])['clips_per_second']['median'])"; }
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu), $dir bs $bs, $rounds rounds x $passes passes, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-8s %10s %10s %7s\n" workers kodiak pytorch ratio
for w in "${workers[@]}"; do
  k=(); p=()
  for r in $(seq "$rounds"); do
    k+=("$(java -Xmx2g -cp "$jar" "$here/AudioPipelineBench.java" "$dir" "$w" "$passes" 1 "$bs" 2>/dev/null | cps)")
    p+=("$(/usr/bin/python3 "$here/peer_audio.py" "$dir" "$w" "$passes" 1 "$bs" 2>/dev/null | cps)")
  done
  km=$(median "${k[@]}"); pm=$(median "${p[@]}")
  printf "%-8s %10.1f %10.1f %7.2f   (kodiak %s; pytorch %s)\n" "$w" "$km" "$pm" "$(python3 -c "print($km/$pm)")" \
    "${k[*]}" "${p[*]}"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
