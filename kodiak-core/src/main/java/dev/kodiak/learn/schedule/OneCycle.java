package dev.kodiak.learn.schedule;

import dev.kodiak.KodiakException;

/**
 * The 1cycle policy's shape (fastai's {@code fit_one_cycle}): the learning rate warms up along a cosine from
 * {@code lrMax/div} to {@code lrMax} over the first {@code pctStart} of training, then anneals along a cosine to
 * {@code lrMax/divFinal}; momentum does the opposite, {@code momStart → momMid → momEnd}. Training position
 * runs over every training batch of every epoch: batch {@code step} of {@code totalSteps} is at
 * {@code step / totalSteps}.
 *
 * <p>fastai's defaults ({@link #defaults()}): div 25, divFinal 1e5, pctStart 0.25, moms 0.95 → 0.85 → 0.95.
 * Each layer group gets its own lrMax (discriminative rates, from an {@link LrSlice}); the shape is the same.
 */
@com.fasterxml.jackson.databind.annotation.JsonNaming(
        com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
public record OneCycle(double pctStart, double div, double divFinal, double momStart, double momMid,
                       double momEnd) {
    public OneCycle {
        if (!(pctStart >= 0 && pctStart <= 1)) {
            throw new KodiakException("pctStart must be in [0, 1], got " + pctStart);
        }
        if (!(div > 0) || Double.isInfinite(div) || !(divFinal > 0) || Double.isInfinite(divFinal)) {
            throw new KodiakException("div and divFinal must be positive, got " + div + " and " + divFinal);
        }
        for (double m : new double[] {momStart, momMid, momEnd}) {
            if (!(m >= 0 && m < 1)) {
                throw new KodiakException("momenta must be in [0, 1), got " + m);
            }
        }
    }

    /** fastai's defaults: div 25, divFinal 1e5, pctStart 0.25, moms (0.95, 0.85, 0.95). */
    public static OneCycle defaults() {
        return new OneCycle(0.25, 25, 1e5, 0.95, 0.85, 0.95);
    }

    /** The default shape bound to one learning rate and a number of training batches. */
    public static OneCycleSchedule of(double lrMax, long totalSteps) {
        return defaults().over(new double[] {lrMax}, totalSteps);
    }

    public OneCycle withPctStart(double value) {
        return new OneCycle(value, div, divFinal, momStart, momMid, momEnd);
    }

    public OneCycle withDiv(double value) {
        return new OneCycle(pctStart, value, divFinal, momStart, momMid, momEnd);
    }

    public OneCycle withDivFinal(double value) {
        return new OneCycle(pctStart, div, value, momStart, momMid, momEnd);
    }

    public OneCycle withMoms(double start, double mid, double end) {
        return new OneCycle(pctStart, div, divFinal, start, mid, end);
    }

    /** This shape bound to per-group peak learning rates ({@code lrMax.values(nGroups)}) and a batch count. */
    public OneCycleSchedule over(LrSlice lrMax, int nGroups, long totalSteps) {
        return over(lrMax.values(nGroups), totalSteps);
    }

    /** This shape bound to per-group peak learning rates and a batch count. */
    public OneCycleSchedule over(double[] groupLrMax, long totalSteps) {
        return new OneCycleSchedule(this, groupLrMax, totalSteps);
    }

    /** The learning rate at position {@code pos} in [0, 1] for a group whose peak is {@code lrMax}. */
    public double lrAt(double lrMax, double pos) {
        return lrSchedule(lrMax).at(pos);
    }

    /** Every group's learning rate at position {@code pos}. */
    public double[] lrsAt(double[] groupLrMax, double pos) {
        double[] out = new double[groupLrMax.length];
        for (int g = 0; g < out.length; g++) {
            out[g] = lrAt(groupLrMax[g], pos);
        }
        return out;
    }

    /** Momentum (Adam's beta1) at position {@code pos} in [0, 1]. */
    public double momAt(double pos) {
        return Schedules.combined(new double[] {pctStart, 1 - pctStart},
                Schedules.cosine(momStart, momMid), Schedules.cosine(momMid, momEnd)).at(pos);
    }

    Schedule lrSchedule(double lrMax) {
        if (!(lrMax > 0) || Double.isInfinite(lrMax)) {
            throw new KodiakException("lrMax must be a positive number, got " + lrMax);
        }
        return Schedules.combined(new double[] {pctStart, 1 - pctStart},
                Schedules.cosine(lrMax / div, lrMax), Schedules.cosine(lrMax, lrMax / divFinal));
    }
}
