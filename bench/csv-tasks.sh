#!/usr/bin/env bash
# Regression and multi-label from scratch (issue #14's acceptance): the two demo tasks (`kodiak demo --task ...` builds
# them from data/clipart3), trained with `kodiak train --weights none` (fit_one_cycle) and with a plain PyTorch
# ResNet-18 (peer_csv_tasks.py: torchvision resnet18(weights=None), AdamW + one-cycle as fastai's fit_one_cycle,
# MSE / BCE with logits), same split (the CSV's is_valid), image size, epochs, batch size, learning rate and threads.
# Prints the CPU, then one table of both tools' validation metrics.
# Usage: bench/csv-tasks.sh [epochs] [size] [items] [bs]   (defaults: 5 64 600 32); TASKS="regression" runs one task
# (default: "regression multi-label")
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
epochs="${1:-5}" size="${2:-64}" items="${3:-600}" bs="${4:-32}"
kodiak="${KODIAK:-$here/../kodiak}"      # KODIAK: another launcher (a prebuilt jar)
jar="${KODIAK_JAR:-$here/../kodiak-cli/target/kodiak.jar}"
work="$(mktemp -d)"
threads="$(nproc)"
tasks="${TASKS:-regression multi-label}"
"$kodiak" bench cpu
for task in $tasks; do
  java -cp "$jar" "$here/DemoData.java" "$task" "$here/../data/clipart3" "$work/$task" "$items" >/dev/null
  flags=(--csv labels.csv --valid-col is_valid)
  [ "$task" = multi-label ] && flags+=(--label-delim " ")
  "$kodiak" train "$work/$task" "${flags[@]}" --weights none --epochs "$epochs" --size "$size" --bs "$bs" \
    --lr 1e-3 --out "$work/$task.kodiak" --json >"$work/$task-kodiak.jsonl"
  /usr/bin/python3 "$here/peer_csv_tasks.py" "$work/$task" --task "$task" --epochs "$epochs" --size "$size" \
    --bs "$bs" --lr 1e-3 --threads "$threads" >"$work/$task-pytorch.json"
done
/usr/bin/python3 - "$work" "$epochs" "$size" "$items" "$bs" "$tasks" <<'PY'
import json, sys
work, epochs, size, items, bs, tasks = sys.argv[1:]
print(f"\nFrom scratch, {epochs} epochs, {size} px, {items} images per task, bs {bs} (validation set, last epoch)")
print(f"{'task':<12} {'metric':<15} {'kodiak':>8} {'pytorch':>8}  better")
for task, metrics, higher in [("regression", ["mae", "rmse", "r2"], {"r2"}),
                              ("multi-label", ["accuracy_multi", "f1_samples", "f1_macro"], set(["accuracy_multi", "f1_samples", "f1_macro"]))]:
    if task not in tasks.split():
        continue
    rows = [json.loads(l) for l in open(f"{work}/{task}-kodiak.jsonl") if l.strip().startswith("{")]
    k = [r for r in rows if "valid_loss" in r][-1]
    p = json.loads(open(f"{work}/{task}-pytorch.json").read())
    for m in metrics:
        kv, pv = k[m], p[m]
        ok = kv >= pv if m in higher else kv <= pv
        print(f"{task:<12} {m:<15} {kv:8.4f} {pv:8.4f}  {'kodiak' if ok else 'pytorch'}")
    print(f"{task:<12} {'train seconds':<15} {sum(r.get('seconds', 0) for r in rows if 'valid_loss' in r):8.1f} {p['seconds']:8.1f}")
PY
