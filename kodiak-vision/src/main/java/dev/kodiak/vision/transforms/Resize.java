package dev.kodiak.vision.transforms;

import dev.kodiak.KodiakException;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Rng;
import dev.kodiak.vision.Resampler;
import dev.kodiak.vision.RgbImage;

/**
 * Brings every image to {@code height x width} pixels, e.g. {@code Resize.to(128)} or
 * {@code Resize.to(128).method(ResizeMethod.PAD).padMode(PadMode.ZEROS)}.
 *
 * <ul>
 *   <li>{@link ResizeMethod#CROP} (default): the largest region with the target's aspect ratio, at a random
 *       position when training and centred otherwise, resized to the target.</li>
 *   <li>{@link ResizeMethod#PAD}: the whole image scaled to fit inside the target, placed at a random position
 *       when training and centred otherwise; the rest is filled per {@link PadMode} (default reflection).</li>
 *   <li>{@link ResizeMethod#SQUISH}: the whole image stretched to the target.</li>
 * </ul>
 * Resampling is bilinear when enlarging and area averaging when shrinking (see {@link Resampler}).
 */
public record Resize(int height, int width, ResizeMethod method, PadMode padMode) implements ItemTransform<RgbImage> {
    /**
     * The longest side a model input may have: far above what image models use (224 to 512), and small enough that
     * a batch of inputs stays well within what an array or a tensor can index.
     */
    public static final int MAX_SIDE = 4096;

    public Resize {
        checkSize("Resize", height, width);
        if (method == null || padMode == null) {
            throw new KodiakException("Resize needs a method and a pad mode, got " + method + " and " + padMode);
        }
    }

    /** Refuses a target size that is not positive or is over {@link #MAX_SIDE}; {@code what} names the transform. */
    static void checkSize(String what, int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new KodiakException(what + " needs a positive size, got height " + height + ", width " + width);
        }
        if (height > MAX_SIDE || width > MAX_SIDE) {
            throw new KodiakException(what + " to " + width + "x" + height + " is larger than Kodiak's limit of "
                    + MAX_SIDE + " pixels a side (image models take 224 to 512)");
        }
    }

    /** Square images of {@code size x size}, cropped. */
    public static Resize to(int size) {
        return to(size, size);
    }

    /** Images of {@code height x width} (the order fastai uses), cropped. */
    public static Resize to(int height, int width) {
        return new Resize(height, width, ResizeMethod.CROP, PadMode.REFLECTION);
    }

    public Resize method(ResizeMethod newMethod) {
        return new Resize(height, width, newMethod, padMode);
    }

    /** The fill for {@link ResizeMethod#PAD}. */
    public Resize padMode(PadMode newPadMode) {
        return new Resize(height, width, method, newPadMode);
    }

    @Override
    public RgbImage apply(RgbImage image, Rng rng, boolean training) {
        int w = image.width();
        int h = image.height();
        return switch (method) {
            case SQUISH -> Resampler.resize(image, width, height);
            case CROP -> {
                // The largest w' x h' inside the image with w'/h' = width/height.
                double m = Math.min((double) w / width, (double) h / height);
                int cw = clamp((int) Math.round(m * width), w);
                int ch = clamp((int) Math.round(m * height), h);
                int x = training ? rng.nextInt(w - cw + 1) : (w - cw) / 2;
                int y = training ? rng.nextInt(h - ch + 1) : (h - ch) / 2;
                yield Resampler.resizeRegion(image, x, y, cw, ch, width, height);
            }
            case PAD -> {
                double s = Math.min((double) width / w, (double) height / h);
                int sw = clamp((int) Math.round(w * s), width);
                int sh = clamp((int) Math.round(h * s), height);
                int left = training ? rng.nextInt(width - sw + 1) : (width - sw) / 2;
                int top = training ? rng.nextInt(height - sh + 1) : (height - sh) / 2;
                yield pad(Resampler.resize(image, sw, sh), left, top);
            }
        };
    }

    /** {@code image} placed at ({@code left}, {@code top}) of a {@code width x height} canvas filled per padMode. */
    private RgbImage pad(RgbImage image, int left, int top) {
        int w = image.width();
        int h = image.height();
        if (w == width && h == height) {
            return image;
        }
        byte[] src = image.pixels();
        byte[] out = new byte[width * height * 3];
        int[] columns = new int[width];
        for (int x = 0; x < width; x++) {
            columns[x] = padMode.sourceIndex(x - left, w);
        }
        for (int y = 0; y < height; y++) {
            int sy = padMode.sourceIndex(y - top, h);
            if (sy < 0) {
                continue; // a zero row
            }
            int srcRow = sy * w * 3;
            int o = y * width * 3;
            for (int x = 0; x < width; x++, o += 3) {
                int sx = columns[x];
                if (sx >= 0) {
                    int s = srcRow + sx * 3;
                    out[o] = src[s];
                    out[o + 1] = src[s + 1];
                    out[o + 2] = src[s + 2];
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    private static int clamp(int v, int max) {
        return Math.max(1, Math.min(max, v));
    }

    /** E.g. {@code Resize(128x128, crop)}, {@code Resize(height 96, width 128, pad zeros)}. */
    @Override
    public String describe() {
        String size = height == width ? width + "x" + height : "height " + height + ", width " + width;
        String how = method == ResizeMethod.PAD ? "pad " + padMode.label() : method.label();
        return "Resize(" + size + ", " + how + ")";
    }
}
