package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import java.util.Locale;

/**
 * Resizes an {@link RgbImage} the way Pillow's {@code Image.resize} does, which is what torchvision's {@code Resize}
 * applies to a PIL image and so how ImageNet weights were evaluated: a separable convolution with the named filter
 * whose support widens by the shrink factor (antialiased), the horizontal pass first, 8-bit results after each pass,
 * weights in fixed point. {@code weights predict} uses it so an image gets the pixels its weights' publisher fed
 * them (bicubic for EfficientNet, bilinear for ResNet ...). Training keeps {@link Resampler}.
 */
public final class FilterResampler {
    /** Fractional bits of the fixed-point weights: 8 bits of pixel, 2 of headroom for negative lobes, in 32. */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private FilterResampler() {
    }

    /** The filters weights' configurations name (torchvision's and timm's {@code interpolation}). */
    public enum Filter {
        NEAREST(0),
        BOX(0.5),
        BILINEAR(1),
        HAMMING(1),
        BICUBIC(2),
        LANCZOS(3);

        private final double support;

        Filter(double support) {
            this.support = support;
        }

        /** The filter called {@code name} ({@code bicubic}, {@code bilinear}, ...), case-insensitive. */
        public static Filter of(String name) {
            for (Filter f : values()) {
                if (f.name().equalsIgnoreCase(name)) {
                    return f;
                }
            }
            throw new KodiakException("unknown interpolation '" + name + "': nearest, box, bilinear, hamming, bicubic "
                    + "or lanczos");
        }

        double weight(double x) {
            double a = Math.abs(x);
            return switch (this) {
                case BOX -> x > -0.5 && x <= 0.5 ? 1 : 0;
                case BILINEAR -> a < 1 ? 1 - a : 0;
                case HAMMING -> a == 0 ? 1 : a >= 1 ? 0 : Math.sin(Math.PI * a) / (Math.PI * a)
                        * (0.54 + 0.46 * Math.cos(Math.PI * a));
                // Keys' cubic convolution with a = -0.5, the one Pillow uses
                case BICUBIC -> a < 1 ? (1.5 * a - 2.5) * a * a + 1
                        : a < 2 ? ((-0.5 * a + 2.5) * a - 4) * a + 2 : 0;
                case LANCZOS -> a < 3 ? sinc(x) * sinc(x / 3) : 0;
                case NEAREST -> throw new IllegalStateException("nearest samples, it does not convolve");
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code image} resized to {@code width x height} with {@code filter}. */
    public static RgbImage resize(RgbImage image, int width, int height, Filter filter) {
        if (width <= 0 || height <= 0) {
            throw new KodiakException("output size must be positive, got " + width + "x" + height);
        }
        if (filter == Filter.NEAREST) {
            return nearest(image, width, height);
        }
        RgbImage out = image;
        if (width != image.width()) {
            out = horizontal(out, Taps.of(out.width(), width, filter));
        }
        if (height != image.height()) {
            out = vertical(out, Taps.of(out.height(), height, filter));
        }
        return out == image ? new RgbImage(image.width(), image.height(), image.pixels().clone()) : out;
    }

    /** Each output pixel's window of input pixels and their fixed-point weights, for one axis. */
    private record Taps(int[] first, int[] count, int[][] weights) {
        static Taps of(int in, int out, Filter filter) {
            double scale = (double) in / out;
            double widen = Math.max(scale, 1); // shrinking widens the filter: every input pixel contributes
            double support = filter.support * widen;
            int[] first = new int[out];
            int[] count = new int[out];
            int[][] weights = new int[out][];
            double[] w = new double[(int) Math.ceil(support) * 2 + 1];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max((int) (centre - support + 0.5), 0);
                int hi = Math.min((int) (centre + support + 0.5), in);
                int n = hi - lo;
                double total = 0;
                for (int j = 0; j < n; j++) {
                    w[j] = filter.weight((lo + j - centre + 0.5) / widen);
                    total += w[j];
                }
                int[] fixed = new int[n];
                for (int j = 0; j < n; j++) {
                    double normalised = total == 0 ? w[j] : w[j] / total;
                    double scaled = normalised * (1 << PRECISION_BITS);
                    fixed[j] = (int) (scaled < 0 ? scaled - 0.5 : scaled + 0.5);
                }
                first[i] = lo;
                count[i] = n;
                weights[i] = fixed;
            }
            return new Taps(first, count, weights);
        }
    }

    private static RgbImage horizontal(RgbImage image, Taps taps) {
        int outWidth = taps.first().length;
        int h = image.height();
        byte[] src = image.pixels();
        byte[] dst = new byte[outWidth * h * 3];
        int srcStride = image.width() * 3;
        for (int y = 0; y < h; y++) {
            int row = y * srcStride;
            int outRow = y * outWidth * 3;
            for (int x = 0; x < outWidth; x++) {
                int[] k = taps.weights()[x];
                int base = row + taps.first()[x] * 3;
                for (int c = 0; c < 3; c++) {
                    long sum = 1L << (PRECISION_BITS - 1); // rounds the shift below to nearest
                    for (int j = 0; j < k.length; j++) {
                        sum += (long) (src[base + j * 3 + c] & 0xFF) * k[j];
                    }
                    dst[outRow + x * 3 + c] = clip(sum);
                }
            }
        }
        return new RgbImage(outWidth, h, dst);
    }

    private static RgbImage vertical(RgbImage image, Taps taps) {
        int outHeight = taps.first().length;
        int w = image.width();
        int stride = w * 3;
        byte[] src = image.pixels();
        byte[] dst = new byte[stride * outHeight];
        long[] sums = new long[stride];
        for (int y = 0; y < outHeight; y++) {
            int[] k = taps.weights()[y];
            java.util.Arrays.fill(sums, 1L << (PRECISION_BITS - 1));
            for (int j = 0; j < k.length; j++) {
                int row = (taps.first()[y] + j) * stride;
                long weight = k[j];
                for (int i = 0; i < stride; i++) {
                    sums[i] += (src[row + i] & 0xFF) * weight;
                }
            }
            int outRow = y * stride;
            for (int i = 0; i < stride; i++) {
                dst[outRow + i] = clip(sums[i]);
            }
        }
        return new RgbImage(w, outHeight, dst);
    }

    /** Pillow's nearest neighbour: the input pixel under each output pixel's centre. */
    private static RgbImage nearest(RgbImage image, int width, int height) {
        byte[] src = image.pixels();
        byte[] dst = new byte[width * height * 3];
        double sx = (double) image.width() / width;
        double sy = (double) image.height() / height;
        for (int y = 0; y < height; y++) {
            int from = Math.min((int) ((y + 0.5) * sy), image.height() - 1) * image.width() * 3;
            for (int x = 0; x < width; x++) {
                int p = from + Math.min((int) ((x + 0.5) * sx), image.width() - 1) * 3;
                System.arraycopy(src, p, dst, (y * width + x) * 3, 3);
            }
        }
        return new RgbImage(width, height, dst);
    }

    private static byte clip(long fixed) {
        long v = fixed >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : v > 255 ? 255 : v);
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }
}
