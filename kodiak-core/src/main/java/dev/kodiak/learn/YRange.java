package dev.kodiak.learn;

import dev.kodiak.KodiakException;

/**
 * The range a regression head squeezes its outputs into with fastai's {@code sigmoid_range}:
 * {@code lo + (hi − lo)·sigmoid(x)} (see {@link SigmoidRange}; one for all outputs or one per output). Given by the
 * user ({@code --y-range LO,HI}, or {@code LO,HI;LO,HI} per target column) or, by default, the training
 * targets' range widened by {@link #MARGIN} of that range on each side, so the extreme targets stay reachable (a
 * sigmoid only approaches its limits).
 *
 * @param lo the lowest output
 * @param hi the highest output
 */
public record YRange(double lo, double hi) {
    /** The default widening on each side, as a fraction of the targets' range. */
    public static final double MARGIN = 0.05;

    public YRange {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi)) {
            throw new KodiakException("a y-range needs finite LO < HI, got " + lo + "," + hi);
        }
    }

    /** Parses {@code LO,HI} as {@code --y-range} takes it. */
    public static YRange parse(String text) {
        String[] parts = text == null ? new String[0] : text.split(",");
        if (parts.length != 2) {
            throw new KodiakException("--y-range takes LO,HI (two numbers), got '" + text + "'");
        }
        try {
            return new YRange(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new KodiakException("--y-range takes LO,HI (two numbers), got '" + text + "'");
        }
    }

    /**
     * Parses {@code --y-range}: {@code LO,HI} (one range for every output) or {@code LO,HI;LO,HI;...} (one range per
     * target column, in the columns' order).
     */
    public static java.util.List<YRange> parseList(String text) {
        if (text == null || text.isBlank()) {
            throw new KodiakException("--y-range takes LO,HI or LO,HI;LO,HI;... (one pair per target column), got '"
                    + text + "'");
        }
        return java.util.Arrays.stream(text.split(";", -1)).map(YRange::parse).toList();
    }

    /**
     * The default range for these training targets: min and max widened by 5% of their difference on each side. When
     * every target is the same value v, the range is v ± max(5% of |v|, 1), so the head can still learn.
     */
    public static YRange around(double[] targets) {
        if (targets.length == 0) {
            throw new KodiakException("cannot choose a y-range without training targets");
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double t : targets) {
            if (!Double.isFinite(t)) {
                throw new KodiakException("a regression target is " + t + ": targets must be finite numbers");
            }
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        double pad = max > min ? MARGIN * (max - min) : Math.max(MARGIN * Math.abs(min), 1);
        return new YRange(min - pad, max + pad);
    }

    @Override
    public String toString() {
        return lo + "," + hi;
    }
}
