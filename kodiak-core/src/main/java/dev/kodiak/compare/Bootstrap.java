package dev.kodiak.compare;

import dev.kodiak.KodiakException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

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
        int n = values.length;
        return interval(n, drawn -> {
            double sum = 0;
            for (int i : drawn) {
                sum += values[i];
            }
            return sum / n;
        }, confidence, resamples, seed);
    }

    /**
     * The percentile interval of any statistic of {@code n} items (an RMSE, an R², ...): each resample draws
     * {@code n} item indices with replacement and hands them to {@code statistic}. The draws are those of
     * {@link #meanInterval}, so the mean through this method gives the same interval. With no items the interval is
     * NaN–NaN.
     */
    public static Interval interval(int n, ToDoubleFunction<int[]> statistic, double confidence, int resamples,
                                    long seed) {
        if (!(confidence > 0 && confidence < 1) || resamples < 1) {
            throw new KodiakException("confidence must be in (0, 1) and resamples at least 1, got " + confidence
                    + " and " + resamples);
        }
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, confidence);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[resamples];
        int[] drawn = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                drawn[i] = random.nextInt(n);
            }
            stats[r] = statistic.applyAsDouble(drawn);
        }
        Arrays.sort(stats);
        double tail = (1 - confidence) / 2;
        return new Interval(quantile(stats, tail), quantile(stats, 1 - tail), confidence);
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
