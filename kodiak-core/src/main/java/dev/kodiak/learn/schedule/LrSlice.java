package dev.kodiak.learn.schedule;

import dev.kodiak.KodiakException;

/**
 * Learning rates for a model's layer groups (fastai's {@code slice}): discriminative rates train the pretrained
 * body more gently than the new head.
 * <ul>
 *   <li>{@link #of(double) of(hi)}: {@code hi/10} for every group but the last (the head), which gets {@code hi};</li>
 *   <li>{@link #of(double, double) of(lo, hi)}: geometric steps, group i of n gets {@code lo * (hi/lo)^(i/(n-1))};</li>
 *   <li>{@link #single(double) single(lr)}: the same rate for every group.</li>
 * </ul>
 * With one group, every form gives {@code hi}.
 */
public record LrSlice(Kind kind, double lo, double hi) {
    /** Which of the three forms. */
    public enum Kind {
        /** The same rate for every group. */
        @com.fasterxml.jackson.annotation.JsonProperty("single") SINGLE,
        /** {@code hi/10} for the body, {@code hi} for the head. */
        @com.fasterxml.jackson.annotation.JsonProperty("head") HEAD,
        /** Geometric steps from {@code lo} to {@code hi}. */
        @com.fasterxml.jackson.annotation.JsonProperty("range") RANGE
    }

    public LrSlice {
        if (kind == null) {
            throw new KodiakException("an LrSlice needs a kind");
        }
        positive("learning rate", hi);
        positive("lowest learning rate", lo);
    }

    /** {@code hi/10} for the body groups, {@code hi} for the head (fastai's {@code slice(hi)}). */
    public static LrSlice of(double hi) {
        positive("learning rate", hi);
        return new LrSlice(Kind.HEAD, hi / 10, hi);
    }

    /** Geometric steps from {@code lo} (first group) to {@code hi} (last group) (fastai's {@code slice(lo, hi)}). */
    public static LrSlice of(double lo, double hi) {
        return new LrSlice(Kind.RANGE, lo, hi);
    }

    /** The same learning rate for every group. */
    public static LrSlice single(double lr) {
        return new LrSlice(Kind.SINGLE, lr, lr);
    }

    /** One learning rate per group, body first and head last. */
    public double[] values(int nGroups) {
        if (nGroups < 1) {
            throw new KodiakException("need at least one parameter group, got " + nGroups);
        }
        double[] out = new double[nGroups];
        for (int i = 0; i < nGroups; i++) {
            out[i] = switch (kind) {
                case SINGLE -> hi;
                case HEAD -> i == nGroups - 1 ? hi : hi / 10;
                case RANGE -> i == nGroups - 1 ? hi : lo * Math.pow(hi / lo, (double) i / (nGroups - 1));
            };
        }
        return out;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SINGLE -> Double.toString(hi);
            case HEAD -> "slice(" + hi + ")";
            case RANGE -> "slice(" + lo + ", " + hi + ")";
        };
    }

    private static void positive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new KodiakException(what + " must be a positive number, got " + v);
        }
    }
}
