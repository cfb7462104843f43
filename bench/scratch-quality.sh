#!/usr/bin/env bash
# From-scratch quality and speed on a Fashion-MNIST-sized dataset we generate ourselves (10 classes, 28 px gray,
# 1,000 train + 500 valid per class): ResNet-18, --weights none --size 32 --epochs 5 --bs 64, i.e. fastai's
# fit_one_cycle(5, 1e-3). The issue's reference: fastai reached 87.8% on Fashion-MNIST in 156 s of fit here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${1:-$(mktemp -d)/shapes10}"
[ -d "$data/train" ] || /usr/bin/python3 "$here/make_shapes.py" "$data" 0
kodiak="${KODIAK:-$here/../kodiak}"  # KODIAK: another launcher (a prebuilt jar)
"$kodiak" bench cpu  # the CPU beside every figure: model, cores, vector/matrix flags
"$kodiak" train "$data" --weights none --size 32 --epochs 5 --bs 64 --out "$(dirname "$data")/shapes10.kodiak" "${@:2}"
