package dev.kodiak.learn.callbacks;

import dev.kodiak.KodiakException;

/**
 * The box CutMix pastes: columns {@code x1 .. x2 - 1} and rows {@code y1 .. y2 - 1} of a {@code width × height}
 * image, already clipped to it.
 */
record CutBox(int x1, int y1, int x2, int y2, int width, int height) {
    CutBox {
        if (!(0 <= x1 && x1 <= x2 && x2 <= width && 0 <= y1 && y1 <= y2 && y2 <= height)) {
            throw new KodiakException("a CutMix box must lie inside the " + width + "x" + height + " image, got x "
                    + x1 + ".." + x2 + ", y " + y1 + ".." + y2);
        }
    }

    /**
     * fastai's box for a draw {@code lambda}: sides {@code round(side · √(1 − λ))} around the centre
     * ({@code cx}, {@code cy}), clipped to the image, so its area is about {@code 1 − λ} of the image's.
     */
    static CutBox around(int width, int height, double lambda, int cx, int cy) {
        double cut = Math.sqrt(1 - lambda);
        long halfW = Math.round(width * cut) / 2;
        long halfH = Math.round(height * cut) / 2;
        return new CutBox(clip(cx - halfW, width), clip(cy - halfH, height), clip(cx + halfW, width),
                clip(cy + halfH, height), width, height);
    }

    /** The pasted area in pixels. */
    long area() {
        return (long) (x2 - x1) * (y2 - y1);
    }

    /** The weight of the item's own target: the share of its own pixels, {@code 1 − box area / image area}. */
    double lambda() {
        return 1 - (double) area() / ((double) width * height);
    }

    /** True for the pixel at column {@code x}, row {@code y}. */
    boolean contains(int x, int y) {
        return x >= x1 && x < x2 && y >= y1 && y < y2;
    }

    private static int clip(long v, int side) {
        return (int) Math.max(0, Math.min(side, v));
    }
}
