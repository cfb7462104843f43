#!/usr/bin/python3
"""Generates a 10-class, 28 px grayscale dataset shaped like Fashion-MNIST (1,000 train + 500 valid images per
class, train/ and valid/ folders): clothing-like silhouettes drawn with random size, position, rotation, stroke,
texture and noise. Used by scratch-quality.sh to check Kodiak's from-scratch recipe on data of that size.
Deterministic for a given seed. Needs Debian's python3-pil (and nothing else)."""
import math
import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter

CLASSES = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]


def silhouette(draw, cls, r):
    s = r.uniform(0.75, 1.0)
    ox, oy = r.uniform(-2, 2), r.uniform(-2, 2)

    def p(x, y):
        return (14 + (x - 14) * s + ox, 14 + (y - 14) * s + oy)

    fill = r.randint(120, 255)
    if cls == "tshirt":
        draw.polygon([p(8, 5), p(20, 5), p(26, 10), p(22, 13), p(20, 11), p(20, 24), p(8, 24), p(8, 11), p(6, 13), p(2, 10)], fill=fill)
    elif cls == "trouser":
        draw.polygon([p(9, 3), p(19, 3), p(20, 25), p(16, 25), p(14, 9), p(12, 25), p(8, 25)], fill=fill)
    elif cls == "pullover":
        draw.polygon([p(9, 4), p(19, 4), p(25, 8), p(26, 24), p(22, 24), p(20, 12), p(20, 24), p(8, 24), p(8, 12), p(6, 24), p(2, 24), p(3, 8)], fill=fill)
    elif cls == "dress":
        draw.polygon([p(11, 3), p(17, 3), p(18, 10), p(23, 25), p(5, 25), p(10, 10)], fill=fill)
    elif cls == "coat":
        draw.polygon([p(8, 3), p(20, 3), p(26, 8), p(26, 25), p(22, 25), p(20, 13), p(20, 26), p(8, 26), p(8, 13), p(6, 25), p(2, 25), p(2, 8)], fill=fill)
        draw.line([p(14, 4), p(14, 26)], fill=max(0, fill - 90), width=1)
    elif cls == "sandal":
        for k in range(4):
            draw.line([p(4 + k * 5, 20), p(8 + k * 5, 13)], fill=fill, width=2)
        draw.line([p(3, 21), p(25, 21)], fill=fill, width=2)
    elif cls == "shirt":
        draw.polygon([p(9, 4), p(19, 4), p(24, 8), p(23, 24), p(5, 24), p(4, 8)], fill=fill)
        draw.line([p(14, 5), p(14, 24)], fill=max(0, fill - 70), width=1)
        draw.polygon([p(11, 4), p(14, 8), p(17, 4)], fill=max(0, fill - 50))
    elif cls == "sneaker":
        draw.polygon([p(3, 19), p(12, 13), p(18, 14), p(25, 18), p(25, 22), p(3, 22)], fill=fill)
        draw.line([p(3, 22), p(25, 22)], fill=255, width=1)
    elif cls == "bag":
        draw.rectangle([p(5, 10), p(23, 25)], fill=fill)
        draw.arc([p(9, 3), p(19, 15)], 180, 360, fill=fill, width=2)
    elif cls == "boot":
        draw.polygon([p(8, 3), p(16, 3), p(16, 15), p(25, 19), p(25, 25), p(8, 25)], fill=fill)


def image(cls, r):
    img = Image.new("L", (28, 28), 0)
    silhouette(ImageDraw.Draw(img), cls, r)
    img = img.rotate(r.uniform(-12, 12), resample=Image.BILINEAR)
    if r.random() < 0.5:
        img = img.filter(ImageFilter.GaussianBlur(r.uniform(0.2, 0.8)))
    px = img.load()
    for y in range(28):
        for x in range(28):
            v = px[x, y]
            if v > 0:
                v = int(v * (0.8 + 0.2 * math.sin(x * r.uniform(0.5, 2) + y)))
            px[x, y] = max(0, min(255, v + int(r.gauss(0, 12))))
    return img


def main():
    out = sys.argv[1]
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    r = random.Random(seed)
    for split, n in (("train", 1000), ("valid", 500)):
        for cls in CLASSES:
            d = os.path.join(out, split, cls)
            os.makedirs(d, exist_ok=True)
            for i in range(n):
                image(cls, r).save(os.path.join(d, "%s_%04d.png" % (cls, i)))


if __name__ == "__main__":
    main()
