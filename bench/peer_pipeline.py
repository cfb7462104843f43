#!/usr/bin/python3
"""PyTorch DataLoader peer of `kodiak bench pipeline`: the same work on a folder of images with the usual PyTorch
tools. PIL decode + convert("RGB"); Resize(size) + RandomCrop(size) (Kodiak: a random crop of the largest square,
resized); the augmentations of fastai's aug_transforms done the torchvision way, per item on PIL images:
RandomHorizontalFlip(0.5), RandomPerspective(0.2, p=0.75), RandomAffine(10 degrees, scale 1-1.1) with p 0.75,
ColorJitter(brightness 0.2, contrast 0.2) with p 0.75; ToTensor; Normalize(ImageNet);
DataLoader(batch_size, num_workers=N, shuffle=True, drop_last=True, persistent_workers=True).

Like Kodiak it holds 1% of the images out (as a validation split would), runs one untimed pass, then --rounds timed
passes over the rest, and prints one JSON line per worker count in the shape of Kodiak's `bench pipeline --json`
plus "peer". Needs Debian's python3-torch, python3-torchvision and python3-pil (use /usr/bin/python3).

Usage: peer_pipeline.py DIR [--workers 1,2] [--size 128] [--bs 64] [--rounds 3] [--threads N] [--no-augment]"""
import argparse
import json
import os
import random
import resource
import statistics
import time

import torch
import torchvision
import torchvision.transforms as T
from PIL import Image

EXTENSIONS = {"jpg", "jpeg", "png", "gif", "bmp", "webp"}  # what Kodiak's ImageFiles.find accepts


def find_images(root):
    """Image files under root, recursively, hidden folders and files skipped; label = parent folder name."""
    files = []
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for n in sorted(names):
            if not n.startswith(".") and n.rsplit(".", 1)[-1].lower() in EXTENSIONS:
                files.append(os.path.join(d, n))
    return files


class Folder(torch.utils.data.Dataset):
    def __init__(self, files, transform):
        self.files = files
        labels = sorted({os.path.basename(os.path.dirname(f)) for f in files})
        self.index = {label: i for i, label in enumerate(labels)}
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        f = self.files[i]
        with Image.open(f) as img:
            x = self.transform(img.convert("RGB"))
        return x, self.index[os.path.basename(os.path.dirname(f))]


def transform(size, augment):
    steps = [T.Resize(size), T.RandomCrop(size)]
    if augment:
        steps += [T.RandomHorizontalFlip(0.5),
                  T.RandomPerspective(distortion_scale=0.2, p=0.75),
                  T.RandomApply([T.RandomAffine(degrees=10, scale=(1.0, 1.1))], p=0.75),
                  T.RandomApply([T.ColorJitter(brightness=0.2, contrast=0.2)], p=0.75)]
    steps += [T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]
    return T.Compose(steps)


def one_pass(loader):
    n = 0
    for x, _ in loader:
        n += x.shape[0]
    return n


def vm_hwm_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def children():
    pids = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as f:
                pids += [int(p) for p in f.read().split()]
        except OSError:
            pass
    return pids


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--workers", default="1,2")
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--bs", type=int, default=64)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--no-augment", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    files = find_images(a.dir)
    held_out = set(random.Random(42).sample(range(len(files)), int(0.01 * len(files))))
    train = [f for i, f in enumerate(files) if i not in held_out]
    ds = Folder(train, transform(a.size, not a.no_augment))
    for w in [int(x) for x in a.workers.split(",")]:
        torch.manual_seed(42)
        loader = torch.utils.data.DataLoader(ds, batch_size=a.bs, shuffle=True, num_workers=w, drop_last=True,
                                             persistent_workers=w > 0)
        one_pass(loader)  # warm-up: starts the workers
        ips = []
        for _ in range(a.rounds):
            t0 = time.perf_counter()
            n = one_pass(loader)
            ips.append(n / (time.perf_counter() - t0))
        workers_rss = sum(vm_hwm_mb(c) for c in children())
        del loader  # stops the persistent workers
        print(json.dumps({"benchmark": "pipeline", "peer": "pytorch " + torch.__version__
                          + " torchvision " + torchvision.__version__,
                          "images_per_second": {"min": min(ips), "median": statistics.median(ips), "max": max(ips)},
                          "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                          "workers_peak_rss_mb": workers_rss,
                          "threads": a.threads, "workers": w, "bs": a.bs, "size": a.size, "dataset": a.dir}),
              flush=True)


if __name__ == "__main__":
    main()
