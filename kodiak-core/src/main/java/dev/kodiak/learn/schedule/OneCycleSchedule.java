package dev.kodiak.learn.schedule;

import dev.kodiak.KodiakException;

/**
 * A {@link OneCycle} shape bound to per-group peak learning rates and the number of training batches of the
 * whole fit: {@link #lrs(long)} and {@link #mom(long)} give the values for training batch {@code step}
 * (counted from 0 over all epochs), at position {@code step / totalSteps}.
 */
public final class OneCycleSchedule {
    private final OneCycle shape;
    private final double[] peaks;
    private final Schedule[] lr;
    private final long totalSteps;

    OneCycleSchedule(OneCycle shape, double[] groupLrMax, long totalSteps) {
        if (groupLrMax.length == 0) {
            throw new KodiakException("a one-cycle schedule needs at least one learning rate");
        }
        if (totalSteps < 1) {
            throw new KodiakException("a one-cycle schedule needs at least one training batch, got " + totalSteps);
        }
        this.shape = shape;
        this.peaks = groupLrMax.clone();
        this.totalSteps = totalSteps;
        this.lr = new Schedule[peaks.length];
        for (int g = 0; g < peaks.length; g++) {
            lr[g] = shape.lrSchedule(peaks[g]);
        }
    }

    public OneCycle shape() {
        return shape;
    }

    public long totalSteps() {
        return totalSteps;
    }

    public int groups() {
        return peaks.length;
    }

    /** The peak learning rate of each group. */
    public double[] lrMax() {
        return peaks.clone();
    }

    /** Training position of batch {@code step}: {@code step / totalSteps}. */
    public double position(long step) {
        if (step < 0 || step > totalSteps) {
            throw new KodiakException("step " + step + " is outside the schedule's 0.." + totalSteps);
        }
        return (double) step / totalSteps;
    }

    /** The last group's (the head's) learning rate at batch {@code step}. */
    public double lr(long step) {
        return lr[peaks.length - 1].at(position(step));
    }

    /** Every group's learning rate at batch {@code step}, body first. */
    public double[] lrs(long step) {
        double pos = position(step);
        double[] out = new double[peaks.length];
        for (int g = 0; g < out.length; g++) {
            out[g] = lr[g].at(pos);
        }
        return out;
    }

    /** Momentum at batch {@code step}. */
    public double mom(long step) {
        return shape.momAt(position(step));
    }

    public OneCycleSchedule withPctStart(double value) {
        return shape.withPctStart(value).over(peaks, totalSteps);
    }

    public OneCycleSchedule withDiv(double value) {
        return shape.withDiv(value).over(peaks, totalSteps);
    }

    public OneCycleSchedule withDivFinal(double value) {
        return shape.withDivFinal(value).over(peaks, totalSteps);
    }

    public OneCycleSchedule withMoms(double start, double mid, double end) {
        return shape.withMoms(start, mid, end).over(peaks, totalSteps);
    }
}
