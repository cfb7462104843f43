package dev.kodiak.vision;

import dev.kodiak.KodiakException;

/**
 * A decoded image: 8-bit RGB, row-major, interleaved (HWC), no alpha (alpha is flattened on white at decode).
 * The pipeline's item type between decoding and batching.
 */
public record RgbImage(int width, int height, byte[] pixels) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new KodiakException("image size must be positive, got " + width + "x" + height);
        }
        if (pixels == null || pixels.length != (long) width * height * 3) {
            throw new KodiakException("expected " + (long) width * height * 3 + " RGB bytes for " + width + "x" + height
                    + ", got " + (pixels == null ? "none" : pixels.length));
        }
    }

    /** A black image of the given size. */
    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[width * height * 3]);
    }

    /** Channel {@code c} (0 red, 1 green, 2 blue) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xFF;
    }

    @Override
    public String toString() {
        return "RgbImage " + width + "x" + height;
    }
}
