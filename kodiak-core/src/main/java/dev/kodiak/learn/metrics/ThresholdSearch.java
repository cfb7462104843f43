package dev.kodiak.learn.metrics;

import dev.kodiak.KodiakException;

/**
 * {@code --threshold auto} for multi-label models: the threshold in 0.05..0.95 (steps of 0.05) that maximizes
 * {@code f1_samples} on the given predictions. It is tuned on those predictions, so a score reported on the same set
 * is optimistic — callers say so wherever they print it.
 */
public final class ThresholdSearch {
    /** The lowest, highest and step of the thresholds tried. */
    public static final double LOW = 0.05;
    public static final double HIGH = 0.95;
    public static final double STEP = 0.05;

    private ThresholdSearch() {
    }

    /**
     * The result of a search.
     *
     * @param threshold the best threshold (ties: the one nearest 0.5, then the lower)
     * @param f1Samples {@code f1_samples} at that threshold on the predictions searched
     */
    public record Result(double threshold, double f1Samples) {
    }

    /** Searches the thresholds on multi-label predictions (probabilities and multi-hot targets). */
    public static Result best(Predictions p) {
        if (p.singleLabel() || p.n() == 0) {
            throw new KodiakException("--threshold auto needs multi-label validation predictions; "
                    + (p.n() == 0 ? "there are none" : "these are single-label"));
        }
        double bestT = 0.5;
        double bestF = Double.NEGATIVE_INFINITY;
        int steps = (int) Math.round((HIGH - LOW) / STEP);
        for (int s = 0; s <= steps; s++) {
            double t = Math.round((LOW + s * STEP) * 100) / 100.0;
            double f = MetricMath.f1Samples(p, t);
            boolean better = f > bestF + 1e-12
                    || (Math.abs(f - bestF) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(bestT - 0.5) - 1e-9);
            if (better) {
                bestT = t;
                bestF = f;
            }
        }
        return new Result(bestT, bestF);
    }
}
