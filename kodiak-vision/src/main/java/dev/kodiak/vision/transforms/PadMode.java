package dev.kodiak.vision.transforms;

/** What fills the area around an image that does not cover its target. */
public enum PadMode {
    /** Black. */
    ZEROS,
    /** The image mirrored at its edges (the edge pixel itself is not repeated), so no artificial borders appear. */
    REFLECTION,
    /** The edge pixels repeated outwards. */
    BORDER;

    String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The source index for index {@code i} of a line of length {@code n} extended by this mode; -1 for zeros. */
    int sourceIndex(int i, int n) {
        if (i >= 0 && i < n) {
            return i;
        }
        return switch (this) {
            case ZEROS -> -1;
            case BORDER -> i < 0 ? 0 : n - 1;
            case REFLECTION -> {
                if (n == 1) {
                    yield 0;
                }
                int period = 2 * (n - 1);
                int m = Math.floorMod(i, period);
                yield m < n ? m : period - m;
            }
        };
    }
}
