package dev.kodiak.gather;

import dev.kodiak.vision.Resampler;
import dev.kodiak.vision.RgbImage;

/**
 * A 64-bit "difference hash" of how an image looks: the image shrunk to 9x8 (area averaging), turned to gray, and
 * one bit per neighbouring pair in each row telling whether brightness falls from left to right. Resizing,
 * re-encoding and small colour changes keep most bits; different pictures differ in about half of them, so a small
 * {@link #distance} means "the same picture".
 */
public final class PerceptualHash {
    /** The distance under which {@code kodiak gather --dedupe near} calls two images the same by default. */
    public static final int DEFAULT_THRESHOLD = 6;

    private PerceptualHash() {
    }

    /** The hash of {@code image}. */
    public static long of(RgbImage image) {
        RgbImage small = Resampler.resize(image, 9, 8);
        long hash = 0;
        for (int y = 0; y < 8; y++) {
            int left = luma(small, 0, y);
            for (int x = 1; x < 9; x++) {
                int right = luma(small, x, y);
                hash = hash << 1 | (left > right ? 1 : 0);
                left = right;
            }
        }
        return hash;
    }

    /** How many of the 64 bits differ (the Hamming distance): 0 for the same look, about 32 for unrelated images. */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    /** ITU-R BT.601 luma, in thousandths (integers keep the comparison exact and repeatable). */
    private static int luma(RgbImage image, int x, int y) {
        return 299 * image.get(x, y, 0) + 587 * image.get(x, y, 1) + 114 * image.get(x, y, 2);
    }
}
