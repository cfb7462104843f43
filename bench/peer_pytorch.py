#!/usr/bin/python3
"""PyTorch eager peer of `kodiak bench train-step|infer`: the same network (torchvision ResNet body + fastai's
head), the same synthetic batch shape, AdamW, cross-entropy, the same thread count. `infer --bs 1` times the
single-image forward (latency p50/p99). Prints one JSON line like
Kodiak's --json. Needs Debian's python3-torch and python3-torchvision (use /usr/bin/python3)."""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn
import torchvision


class ConcatPool(nn.Module):
    def forward(self, x):
        return torch.cat([nn.functional.adaptive_max_pool2d(x, 1), nn.functional.adaptive_avg_pool2d(x, 1)], 1)


class ClassToken(nn.Module):
    """A torchvision ViT up to its final LayerNorm, handing on the class token as a 1x1 map (Kodiak's ViT body)."""

    def __init__(self, vit):
        super().__init__()
        self.vit = vit

    def forward(self, x):
        tokens = self.vit._process_input(x)
        cls = self.vit.class_token.expand(tokens.shape[0], -1, -1)
        out = self.vit.encoder(torch.cat([cls, tokens], dim=1))
        return out[:, 0].reshape(out.shape[0], -1, 1, 1)


def body_of(arch):
    """torchvision's network without its pooling and classifier, and the channels it hands to the head."""
    net = getattr(torchvision.models, arch)()
    if hasattr(net, "class_token"):  # ViT
        return ClassToken(net), net.hidden_dim
    if hasattr(net, "trunk_output"):  # RegNet
        return nn.Sequential(net.stem, net.trunk_output), net.fc.in_features
    if hasattr(net, "fc"):  # ResNet
        return nn.Sequential(*list(net.children())[:-2]), net.fc.in_features
    if hasattr(net, "features"):  # ConvNeXt, EfficientNet, MobileNetV3: the channels of the last feature map
        with torch.no_grad():
            return net.features, net.features.eval()(torch.zeros(1, 3, 64, 64)).shape[1]
    raise SystemExit(f"peer_pytorch.py: no body/head split for {arch}")


def model(arch, classes):
    body, nf = body_of(arch)
    head = nn.Sequential(ConcatPool(), nn.Flatten(), nn.BatchNorm1d(2 * nf), nn.Dropout(0.25),
                         nn.Linear(2 * nf, 512, bias=False), nn.ReLU(inplace=True), nn.BatchNorm1d(512),
                         nn.Dropout(0.5), nn.Linear(512, classes, bias=False))
    return nn.Sequential(body, head)


def percentile(sorted_values, p):
    """Nearest-rank percentile, as Kodiak's bench computes it."""
    rank = max(1, min(len(sorted_values), -(-len(sorted_values) * p // 100)))
    return sorted_values[int(rank) - 1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("benchmark", choices=["train-step", "infer"])
    p.add_argument("--arch", default="resnet18")
    p.add_argument("--bs", type=int, default=64)
    p.add_argument("--size", type=int, default=128)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iterations", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    m = model(a.arch, 10)
    x = torch.rand(a.bs, 3, a.size, a.size)
    y = torch.randint(0, 10, (a.bs,))
    if a.channels_last:
        m = m.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    bf16 = a.precision == "bf16"
    secs = []
    if a.benchmark == "train-step":
        m.train()
        opt = torch.optim.AdamW(m.parameters(), lr=1e-3, betas=(0.9, 0.99), eps=1e-5, weight_decay=0.01)
        loss_fn = nn.CrossEntropyLoss()
        for i in range(a.warmup + a.iterations):
            t0 = time.perf_counter()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                loss = loss_fn(m(x).float(), y)
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
            loss.item()
            if i >= a.warmup:
                secs.append(time.perf_counter() - t0)
    else:
        m.eval()
        with torch.inference_mode():
            for i in range(a.warmup + a.iterations):
                t0 = time.perf_counter()
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                    m(x).sum().item()
                if i >= a.warmup:
                    secs.append(time.perf_counter() - t0)
    ips = [a.bs / t for t in secs]
    ms = sorted(t * 1000 for t in secs)
    print(json.dumps({"benchmark": a.benchmark, "peer": "pytorch " + torch.__version__,
                      "images_per_second": {"min": min(ips), "median": statistics.median(ips), "max": max(ips)},
                      "latency_ms": {"p50": percentile(ms, 50), "p99": percentile(ms, 99)},
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "threads": a.threads, "arch": a.arch, "bs": a.bs, "size": a.size, "precision": a.precision,
                      "channels_last": a.channels_last}))


if __name__ == "__main__":
    main()
