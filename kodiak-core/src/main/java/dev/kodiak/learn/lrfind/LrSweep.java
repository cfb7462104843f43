package dev.kodiak.learn.lrfind;

import dev.kodiak.KodiakException;

/**
 * The learning-rate finder's run (fastai's {@code LRFinder}): batch {@code i} trains at
 * {@code startLr · (endLr/startLr)^(i/numIt)}; the run stops after {@code numIt} batches, or as soon as the
 * smoothed loss exceeds 4× the best smoothed loss so far (the loss has diverged; {@code stopDiv}), or becomes
 * NaN or infinite. fastai's defaults: 1e-7 to 10 over 100 batches, stopping on divergence.
 *
 * <p>Use: before batch {@code i} set every group's lr to {@link #lr(int)}; after it call
 * {@link #shouldStop(int, double)} with the number of batches done and the smoothed loss.
 */
public final class LrSweep {
    private final double startLr;
    private final double endLr;
    private final int numIt;
    private final boolean stopDiv;
    private double best = Double.POSITIVE_INFINITY;

    /** At least 6 iterations, as fastai enforces. */
    public LrSweep(double startLr, double endLr, int numIt, boolean stopDiv) {
        if (!(startLr > 0) || !(endLr > startLr) || Double.isInfinite(endLr)) {
            throw new KodiakException("the learning-rate sweep needs 0 < startLr < endLr, got " + startLr + " and "
                    + endLr);
        }
        this.startLr = startLr;
        this.endLr = endLr;
        this.numIt = Math.max(6, numIt);
        this.stopDiv = stopDiv;
    }

    /** 1e-7 to 10 over 100 batches, stopping when the loss diverges. */
    public static LrSweep defaults() {
        return new LrSweep(1e-7, 10, 100, true);
    }

    /** The learning rate of batch {@code iter} (counted from 0). */
    public double lr(int iter) {
        return startLr * Math.pow(endLr / startLr, (double) iter / numIt);
    }

    /**
     * Records the smoothed loss after {@code itersDone} batches and says whether to stop: diverged
     * ({@code smoothedLoss > 4 × best}, when stopDiv), not finite, or {@code itersDone >= numIt}.
     */
    public boolean shouldStop(int itersDone, double smoothedLoss) {
        if (!Double.isFinite(smoothedLoss)) {
            return true;
        }
        if (smoothedLoss < best) {
            best = smoothedLoss;
        }
        return (stopDiv && smoothedLoss > 4 * best) || itersDone >= numIt;
    }

    /** The lowest smoothed loss seen. */
    public double bestLoss() {
        return best;
    }

    public int numIt() {
        return numIt;
    }

    public double startLr() {
        return startLr;
    }

    public double endLr() {
        return endLr;
    }
}
