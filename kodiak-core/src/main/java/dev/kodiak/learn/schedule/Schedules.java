package dev.kodiak.learn.schedule;

import dev.kodiak.KodiakException;

/** Annealing functions from a start value to an end value, and their combination into phases. */
public final class Schedules {
    private Schedules() {
    }

    /**
     * Half a cosine wave from {@code start} to {@code end}: {@code start + (1 + cos(pi * (1 - pos))) * (end - start) / 2}.
     * Flat at both ends, steepest in the middle (the value at 0.5 is the midpoint).
     */
    public static Schedule cosine(double start, double end) {
        check("start", start);
        check("end", end);
        return pos -> start + (1 + Math.cos(Math.PI * (1 - pos))) * (end - start) / 2;
    }

    /** A straight line from {@code start} to {@code end}. */
    public static Schedule linear(double start, double end) {
        check("start", start);
        check("end", end);
        return pos -> start + pos * (end - start);
    }

    /**
     * Geometric growth from {@code start} to {@code end}: {@code start * (end / start)^pos}, a straight line on a
     * log scale (the learning-rate finder's sweep). Both must be positive.
     */
    public static Schedule exponential(double start, double end) {
        if (!(start > 0) || !(end > 0) || Double.isInfinite(start) || Double.isInfinite(end)) {
            throw new KodiakException("an exponential schedule needs positive start and end, got " + start
                    + " and " + end);
        }
        return pos -> start * Math.pow(end / start, pos);
    }

    /** The same value throughout. */
    public static Schedule constant(double value) {
        check("value", value);
        return pos -> value;
    }

    /**
     * Phases: schedule {@code i} runs over the fraction {@code pcts[i]} of training, seeing its own position go
     * from 0 to 1. The fractions must be non-negative and sum to 1. Positions outside [0, 1] are clamped.
     */
    public static Schedule combined(double[] pcts, Schedule... schedules) {
        if (pcts.length == 0 || pcts.length != schedules.length) {
            throw new KodiakException("combined schedules need one fraction per schedule, got " + pcts.length
                    + " fractions for " + schedules.length + " schedules");
        }
        double[] bounds = new double[pcts.length + 1];
        for (int i = 0; i < pcts.length; i++) {
            if (!(pcts[i] >= 0)) {
                throw new KodiakException("schedule fractions must be non-negative, got " + pcts[i]);
            }
            bounds[i + 1] = bounds[i] + pcts[i];
        }
        if (Math.abs(bounds[pcts.length] - 1) > 1e-9) {
            throw new KodiakException("schedule fractions must sum to 1, got " + bounds[pcts.length]);
        }
        bounds[pcts.length] = 1;
        Schedule[] phases = schedules.clone();
        return pos -> {
            double p = Math.min(1, Math.max(0, pos));
            // the last phase whose start has been reached (fastai's rule: a zero-length phase is skipped over)
            int idx = 0;
            for (int i = 1; i < phases.length; i++) {
                if (p >= bounds[i]) {
                    idx = i;
                }
            }
            double width = bounds[idx + 1] - bounds[idx];
            double local = width > 0 ? (p - bounds[idx]) / width : 0;
            return phases[idx].at(local);
        };
    }

    private static void check(String what, double v) {
        if (!Double.isFinite(v)) {
            throw new KodiakException("schedule " + what + " must be a finite number, got " + v);
        }
    }
}
