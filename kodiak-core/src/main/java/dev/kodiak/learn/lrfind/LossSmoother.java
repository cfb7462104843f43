package dev.kodiak.learn.lrfind;

import dev.kodiak.KodiakException;

/**
 * The training loss as people read it: an exponential moving average of the batch losses, debiased so the first
 * values are not dragged towards the average's start of 0 (fastai's {@code AvgSmoothLoss}, beta 0.98). After
 * loss {@code x_t}: {@code avg ← beta·avg + (1 − beta)·x_t}, value {@code avg / (1 − beta^t)}.
 */
public final class LossSmoother {
    private final double beta;
    private double avg;
    private long count;

    /** fastai's beta, 0.98 (about the last 50 batches). */
    public LossSmoother() {
        this(0.98);
    }

    public LossSmoother(double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new KodiakException("the smoothing beta must be in [0, 1), got " + beta);
        }
        this.beta = beta;
    }

    /** Adds a batch loss and returns the new smoothed value. */
    public double add(double loss) {
        count++;
        avg = beta * avg + (1 - beta) * loss;
        return value();
    }

    /** The smoothed loss (NaN before the first batch). */
    public double value() {
        return count == 0 ? Double.NaN : avg / (1 - Math.pow(beta, count));
    }

    public long count() {
        return count;
    }

    /** The raw (not debiased) moving average, which with {@link #count()} is the whole state. */
    public double average() {
        return avg;
    }

    /** Continues from a state {@link #average()} and {@link #count()} reported (a resumed run). */
    public void restore(double average, long count) {
        if (count < 0 || !Double.isFinite(average)) {
            throw new KodiakException("a loss smoother's state needs a finite average and a count of at least 0, got "
                    + average + " and " + count);
        }
        this.avg = average;
        this.count = count;
    }

    /** Starts over (fastai resets at the start of every fit). */
    public void reset() {
        avg = 0;
        count = 0;
    }
}
