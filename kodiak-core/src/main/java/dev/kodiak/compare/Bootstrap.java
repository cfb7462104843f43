package dev.kodiak.compare;

import dev.kodiak.KodiakException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The percentile bootstrap of a mean: resample the items with replacement, recompute the mean, keep the middle
 * {@code confidence} of the resampled means (B. Efron and R. Tibshirani, "An Introduction to the Bootstrap", 1993,
 * ch. 13). Seeded, so an interval is reproducible. For a paired comparison, give it the per-item differences
 * {@code b[i] − a[i]}: resampling items keeps each pair together, which is what makes the interval paired.
 */
public final class Bootstrap {
    private Bootstrap() {
    }

    /**
     * The percentile interval of the mean of {@code values}; quantiles interpolate linearly between order
     * statistics (numpy's default). Null-free: with no values the interval is NaN–NaN.
     */
    public static Interval meanInterval(double[] values, double confidence, int resamples, long seed) {
        if (!(confidence > 0 && confidence < 1) || resamples < 1) {
            throw new KodiakException("confidence must be in (0, 1) and resamples at least 1, got " + confidence
                    + " and " + resamples);
        }
        int n = values.length;
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, confidence);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        double tail = (1 - confidence) / 2;
        return new Interval(quantile(means, tail), quantile(means, 1 - tail), confidence);
    }

    /** The percentile interval of the mean of the paired differences {@code b[i] − a[i]}. */
    public static Interval pairedDifferenceInterval(double[] a, double[] b, double confidence, int resamples,
                                                    long seed) {
        return meanInterval(PairedDifferences.of(a, b), confidence, resamples, seed);
    }

    /** The {@code q} quantile of sorted values, interpolating linearly between order statistics. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
