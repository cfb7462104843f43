package dev.kodiak.vision.transforms;

import dev.kodiak.KodiakException;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Rng;
import dev.kodiak.vision.Resampler;
import dev.kodiak.vision.RgbImage;

/**
 * A random part of each training image, resized to {@code height x width}: the part covers a random fraction
 * in [{@code minScale}, 1] of the image's area and has a random aspect ratio between 3/4 and 4/3 (log-uniform).
 * When 10 draws in a row do not fit inside the image, it takes the centred region with the image's own aspect
 * ratio clamped to [3/4, 4/3]. Validation images get the centred region with the target's aspect ratio, resized:
 * deterministic, and the same view {@link Resize}'s crop gives.
 */
public record RandomResizedCrop(int height, int width, double minScale) implements ItemTransform<RgbImage> {
    private static final double MIN_RATIO = 3.0 / 4;
    private static final double MAX_RATIO = 4.0 / 3;
    private static final int ATTEMPTS = 10;

    public RandomResizedCrop {
        Resize.checkSize("RandomResizedCrop", height, width);
        if (!(minScale > 0 && minScale <= 1)) {
            throw new KodiakException("minScale is the smallest fraction of the image area to keep, between 0 "
                    + "(exclusive) and 1; got " + minScale);
        }
    }

    /** Square crops of {@code size x size} covering at least 8% of the image (fastai's and torchvision's default). */
    public static RandomResizedCrop of(int size) {
        return of(size, 0.08);
    }

    public static RandomResizedCrop of(int size, double minScale) {
        return new RandomResizedCrop(size, size, minScale);
    }

    public static RandomResizedCrop of(int height, int width, double minScale) {
        return new RandomResizedCrop(height, width, minScale);
    }

    @Override
    public RgbImage apply(RgbImage image, Rng rng, boolean training) {
        if (!training) {
            return Resize.to(height, width).apply(image, rng, false);
        }
        int w = image.width();
        int h = image.height();
        double area = (double) w * h;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = rng.uniform(minScale, 1.0) * area;
            double ratio = Math.exp(rng.uniform(Math.log(MIN_RATIO), Math.log(MAX_RATIO)));
            int cw = (int) Math.round(Math.sqrt(targetArea * ratio));
            int ch = (int) Math.round(Math.sqrt(targetArea / ratio));
            if (cw >= 1 && ch >= 1 && cw <= w && ch <= h) {
                int x = rng.nextInt(w - cw + 1);
                int y = rng.nextInt(h - ch + 1);
                return Resampler.resizeRegion(image, x, y, cw, ch, width, height);
            }
        }
        double aspect = (double) w / h;
        int cw = w;
        int ch = h;
        if (aspect < MIN_RATIO) {
            ch = Math.max(1, Math.min(h, (int) Math.round(w / MIN_RATIO)));
        } else if (aspect > MAX_RATIO) {
            cw = Math.max(1, Math.min(w, (int) Math.round(h * MAX_RATIO)));
        }
        return Resampler.resizeRegion(image, (w - cw) / 2, (h - ch) / 2, cw, ch, width, height);
    }

    /** E.g. {@code RandomResizedCrop(128x128, minScale 0.08)}. */
    @Override
    public String describe() {
        String size = height == width ? width + "x" + height : "height " + height + ", width " + width;
        return "RandomResizedCrop(" + size + ", minScale " + minScale + ")";
    }
}
