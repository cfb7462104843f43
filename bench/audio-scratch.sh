#!/usr/bin/env bash
# Acceptance for sound (issue #15): a ResNet-18 trained from scratch (--weights none) on data/words4 by Kodiak and
# by a plain PyTorch + torchaudio script (peer_audio_train.py: torchvision resnet18(weights=None) with a 1-channel
# conv1, Adam + OneCycleLR), with the same spectrogram parameters (16 kHz, 1 s, n_fft 1024, hop 256, 64 mels, dB with
# top_db 80), the same epochs, batch size, peak LR and split (Kodiak's random 20% for the seed, listed by
# KodiakSplit.java and checked against the model file afterwards). Both sides train at the same time (timings are
# not compared here: accuracy is). Prints the CPU, each side's validation accuracy per seed and the mean.
# Usage: bench/audio-scratch.sh [DIR]   Environment: EPOCHS (default 10), BS (16), LR (1e-3), SEEDS ("1 2 3").
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-$here/../data/words4}"
epochs="${EPOCHS:-10}"; bs="${BS:-16}"; lr="${LR:-1e-3}"; seeds="${SEEDS:-1 2 3}"
kodiak="${KODIAK:-$here/../kodiak}"
"$kodiak" --version >/dev/null  # build first
jar="${JAR:-$here/../kodiak-cli/target/kodiak.jar}"
/usr/bin/python3 -c "import torch, torchaudio, torchvision" \
  || { echo "needs: apt-get install python3-torch python3-torchaudio python3-torchvision" >&2; exit 1; }
out="$(mktemp -d)"
echo "== $(date -u +%FT%TZ) $("$kodiak" bench cpu), $dir, $epochs epochs, bs $bs, lr $lr, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-6s %8s %8s\n" seed kodiak pytorch
ks=(); ps=()
for s in $seeds; do
  model="$out/words4-$s.kodiak"
  java -cp "$jar" "$here/KodiakSplit.java" "$dir" "$s" >"$out/valid-$s.txt"
  (cd "$here" && /usr/bin/python3 peer_audio_train.py "$dir" "$out/valid-$s.txt" "$epochs" "$bs" "$lr" "$s" \
      >"$out/pytorch-$s.json" 2>"$out/pytorch-$s.log") &
  peer=$!
  "$kodiak" train "$dir" --input audio --weights none --sample-rate 16000 --duration 1.0 --n-mels 64 --n-fft 1024 \
    --hop 256 --epochs "$epochs" --bs "$bs" --lr "$lr" --seed "$s" --metrics accuracy --out "$model" >"$out/kodiak-$s.log" 2>&1 \
    || { cat "$out/kodiak-$s.log" >&2; exit 1; }
  wait "$peer" || { cat "$out/pytorch-$s.log" >&2; exit 1; }
  unzip -p "$model" manifest.json | python3 -c "import sys,json; print('\\n'.join(json.load(sys.stdin)['training']['data']['valid_files']))" \
    | sort | cmp -s - <(sort "$out/valid-$s.txt") || { echo "the split differs from the model file's" >&2; exit 1; }
  k=$(unzip -p "$model" manifest.json | python3 -c "import sys,json; print(json.load(sys.stdin)['training']['metrics']['accuracy'])")
  p=$(python3 -c "import sys,json; print(json.loads(open(sys.argv[1]).readlines()[-1])['accuracy'])" "$out/pytorch-$s.json")
  printf "%-6s %8.3f %8.3f\n" "$s" "$k" "$p"
  ks+=("$k"); ps+=("$p")
done
mean() { python3 -c "import sys,statistics; print('%.3f' % statistics.mean(float(x) for x in sys.argv[1:]))" "$@"; }
printf "%-6s %8s %8s\n" mean "$(mean "${ks[@]}")" "$(mean "${ps[@]}")"
echo "logs: $out; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
