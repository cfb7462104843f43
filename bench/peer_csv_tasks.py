#!/usr/bin/python3
"""Plain PyTorch baseline for bench/csv-tasks.sh: torchvision's resnet18(weights=None) trained from scratch on a
Kodiak demo task (labels.csv: file, target, is_valid), with what fastai's fit_one_cycle does: AdamW (betas 0.9/0.99,
eps 1e-5, weight decay 0.01), one-cycle LR (pct_start 0.25, div 25, final div 1e5, cosine) with momentum cycled
0.95 -> 0.85 -> 0.95, shuffled batches dropping the last partial one. Images: PIL, bilinear resize to SIZE, ImageNet
normalization, no augmentation (as `kodiak train` without --augment). Loss: MSE (regression) or BCE with logits
(multi-label). Prints one JSON line with the last epoch's validation metrics: mae, rmse, r2 or accuracy_multi
(probability above 0.5), f1_samples, f1_macro. Needs Debian's python3-torch and python3-torchvision (/usr/bin/python3)."""
import argparse
import csv
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision
from PIL import Image

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def load(data, rows, size):
    images = []
    for r in rows:
        with Image.open(os.path.join(data, r[0])) as im:
            im = im.convert("RGB").resize((size, size), Image.BILINEAR)
            images.append(torch.from_numpy(np.asarray(im, dtype=np.uint8).copy()).permute(2, 0, 1))
    x = torch.stack(images).float() / 255
    return (x - MEAN) / STD


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data")
    p.add_argument("--task", choices=["regression", "multi-label"], required=True)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--bs", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    with open(os.path.join(a.data, "labels.csv"), newline="") as f:
        rows = list(csv.reader(f))[1:]
    valid = [r[2].strip().lower() in ("true", "1", "yes") for r in rows]
    if a.task == "regression":
        y = torch.tensor([[float(r[1])] for r in rows])
        names = ["scale"]
    else:
        names = sorted({l for r in rows for l in r[1].split(" ") if l})
        y = torch.tensor([[1.0 if n in r[1].split(" ") else 0.0 for n in names] for r in rows])
    x = load(a.data, rows, a.size)
    vi = torch.tensor([i for i, v in enumerate(valid) if v])
    ti = torch.tensor([i for i, v in enumerate(valid) if not v])
    xt, yt, xv, yv = x[ti], y[ti], x[vi], y[vi]

    model = torchvision.models.resnet18(weights=None, num_classes=len(names))
    loss_fn = nn.MSELoss() if a.task == "regression" else nn.BCEWithLogitsLoss()
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.99), eps=1e-5, weight_decay=0.01)
    steps = len(ti) // a.bs
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=a.epochs * steps, pct_start=0.25,
                                                anneal_strategy="cos", div_factor=25.0, final_div_factor=1e5,
                                                cycle_momentum=True, base_momentum=0.85, max_momentum=0.95)
    g = torch.Generator().manual_seed(a.seed)
    t0 = time.time()
    for _ in range(a.epochs):
        model.train()
        order = torch.randperm(len(ti), generator=g)
        for s in range(steps):
            b = order[s * a.bs:(s + 1) * a.bs]
            opt.zero_grad()
            loss = loss_fn(model(xt[b]), yt[b])
            loss.backward()
            opt.step()
            sched.step()
    seconds = time.time() - t0
    model.eval()
    with torch.no_grad():
        out = torch.cat([model(xv[i:i + 64]) for i in range(0, len(vi), 64)])
    result = {"tool": "pytorch", "task": a.task, "epochs": a.epochs, "size": a.size, "bs": a.bs,
              "train": len(ti), "valid": len(vi), "valid_loss": float(loss_fn(out, yv)), "seconds": round(seconds, 1)}
    if a.task == "regression":
        err = out - yv
        result["mae"] = float(err.abs().mean())
        result["rmse"] = float(err.pow(2).mean().sqrt())
        result["r2"] = float(1 - err.pow(2).sum() / (yv - yv.mean()).pow(2).sum())
    else:
        pred = (torch.sigmoid(out) > 0.5).float()  # as fastai's accuracy_multi and Kodiak's metrics
        result["accuracy_multi"] = float((pred == yv).float().mean())
        tp = (pred * yv).sum(1)
        denom = pred.sum(1) + yv.sum(1)
        result["f1_samples"] = float(torch.where(denom > 0, 2 * tp / denom.clamp(min=1), torch.zeros_like(tp)).mean())
        tpl = (pred * yv).sum(0)
        dl = pred.sum(0) + yv.sum(0)
        result["f1_macro"] = float(torch.where(dl > 0, 2 * tpl / dl.clamp(min=1), torch.zeros_like(tpl)).mean())
    print(json.dumps(result))


if __name__ == "__main__":
    main()
