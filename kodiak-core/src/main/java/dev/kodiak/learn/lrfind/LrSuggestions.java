package dev.kodiak.learn.lrfind;

import dev.kodiak.KodiakException;
import java.util.Arrays;

/**
 * Learning rates read off the learning-rate finder's curve of smoothed loss against learning rate, by fastai's
 * four rules:
 * <ul>
 *   <li>{@code valley} (fastai's default): the longest stretch over which the loss keeps falling (the longest
 *       strictly decreasing subsequence of losses), at about half-way through its middle third;</li>
 *   <li>{@code slide}: walking left from the end, the first interval over which the loss gradient stops
 *       changing (the curve is steadily descending there);</li>
 *   <li>{@code minimum}: a tenth of the learning rate with the lowest loss;</li>
 *   <li>{@code steep}: where the loss falls fastest against log(lr).</li>
 * </ul>
 */
public record LrSuggestions(Suggestion valley, Suggestion slide, Suggestion minimum, Suggestion steep) {

    /**
     * Suggestions from what the finder recorded, trimmed like fastai: the first {@code numIt/10} points (noisy
     * start) and the last 5 (already diverging) are dropped, and so is everything from the first NaN loss.
     */
    public static LrSuggestions fromSweep(double[] recordedLrs, double[] recordedLosses, int numIt) {
        if (recordedLrs.length != recordedLosses.length) {
            throw new KodiakException("got " + recordedLrs.length + " learning rates but " + recordedLosses.length
                    + " losses");
        }
        int from = numIt / 10;
        int to = recordedLosses.length - 5;
        for (int i = from; i < to; i++) {
            if (Double.isNaN(recordedLosses[i])) {
                to = i;
                break;
            }
        }
        if (to - from < 2) {
            throw new KodiakException("the learning-rate finder recorded only " + recordedLosses.length
                    + " batches before it stopped, too few to suggest a learning rate (it keeps points "
                    + from + " to 5 before the end). The loss diverged almost at once: try a lower start "
                    + "learning rate, or give the finder more batches.");
        }
        return of(Arrays.copyOfRange(recordedLrs, from, to), Arrays.copyOfRange(recordedLosses, from, to));
    }

    /** All four suggestions for a curve (learning rates increasing, at least 2 points, no NaN). */
    public static LrSuggestions of(double[] lrs, double[] losses) {
        return new LrSuggestions(valley(lrs, losses), slide(lrs, losses), minimum(lrs, losses), steep(lrs, losses));
    }

    /** The longest strictly decreasing run of losses; the suggestion sits ~1/2 past the first third of it. */
    public static Suggestion valley(double[] lrs, double[] losses) {
        check(lrs, losses);
        int n = losses.length;
        int[] lds = new int[n];           // longest strictly decreasing subsequence ending at i
        int maxEnd = 0;
        for (int i = 0; i < n; i++) {
            lds[i] = 1;
            for (int j = 0; j < i; j++) {
                if (losses[i] < losses[j] && lds[j] + 1 > lds[i]) {
                    lds[i] = lds[j] + 1;
                }
            }
            if (lds[i] > lds[maxEnd]) {
                maxEnd = i;              // the first end reaching the longest length
            }
        }
        // fastai counts the run's start one before its first point; kept so suggestions match fastai's
        int maxStart = maxEnd - lds[maxEnd];
        double sections = (maxEnd - maxStart) / 3.0;
        int idx = maxStart + (int) sections + (int) (sections / 2);
        idx = Math.max(0, Math.min(n - 1, idx));
        return new Suggestion("valley", lrs[idx], lrs[idx], losses[idx]);
    }

    /** fastai's slide rule with its defaults: interval 15 points, gradient threshold 0.005, no adjustment. */
    public static Suggestion slide(double[] lrs, double[] losses) {
        return slide(lrs, losses, 15, 0.005, 1.0);
    }

    /**
     * Walks an interval of {@code lrDiff} points leftwards from the end of the curve while the loss gradients at
     * its two ends differ by more than {@code thresh}; suggests the left end where they stop differing, times
     * {@code adjust}. A curve shorter than the interval uses the whole curve as the interval.
     */
    public static Suggestion slide(double[] lrs, double[] losses, int lrDiff, double thresh, double adjust) {
        check(lrs, losses);
        int n = losses.length;
        double[] grad = gradient(losses);
        int diff = Math.min(Math.max(1, lrDiff), n - 1);
        int right = n - 1;
        int left = right - diff;
        double local = lrs[left];
        while (left >= 0 && Math.abs(grad[right] - grad[left]) > thresh) {
            local = lrs[left];
            right--;
            left--;
        }
        double lr = local * adjust;
        return new Suggestion("slide", lr, lr, interpolateLossAt(lr, lrs, losses));
    }

    /** A tenth of the learning rate where the loss is lowest (the first such point on ties). */
    public static Suggestion minimum(double[] lrs, double[] losses) {
        check(lrs, losses);
        int best = 0;
        for (int i = 1; i < losses.length; i++) {
            if (losses[i] < losses[best]) {
                best = i;
            }
        }
        return new Suggestion("minimum", lrs[best] / 10, lrs[best], losses[best]);
    }

    /** The learning rate at the start of the segment where loss falls fastest against log(lr). */
    public static Suggestion steep(double[] lrs, double[] losses) {
        check(lrs, losses);
        int best = 0;
        double bestSlope = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < losses.length; i++) {
            double slope = (losses[i + 1] - losses[i]) / (Math.log(lrs[i + 1]) - Math.log(lrs[i]));
            if (slope < bestSlope) {
                bestSlope = slope;
                best = i;
            }
        }
        return new Suggestion("steep", lrs[best], lrs[best], losses[best]);
    }

    /** Central differences inside, one-sided at the ends (numpy's {@code gradient} with unit spacing). */
    static double[] gradient(double[] y) {
        int n = y.length;
        double[] g = new double[n];
        g[0] = y[1] - y[0];
        g[n - 1] = y[n - 1] - y[n - 2];
        for (int i = 1; i < n - 1; i++) {
            g[i] = (y[i + 1] - y[i - 1]) / 2;
        }
        return g;
    }

    /** The loss at {@code lr}, linearly interpolated on log10(lr), clamped to the curve's ends. */
    static double interpolateLossAt(double lr, double[] lrs, double[] losses) {
        double x = Math.log10(lr);
        int n = lrs.length;
        if (x <= Math.log10(lrs[0])) {
            return losses[0];
        }
        for (int i = 1; i < n; i++) {
            double x1 = Math.log10(lrs[i]);
            if (x <= x1) {
                double x0 = Math.log10(lrs[i - 1]);
                return losses[i - 1] + (losses[i] - losses[i - 1]) * (x - x0) / (x1 - x0);
            }
        }
        return losses[n - 1];
    }

    private static void check(double[] lrs, double[] losses) {
        if (lrs.length != losses.length) {
            throw new KodiakException("got " + lrs.length + " learning rates but " + losses.length + " losses");
        }
        if (lrs.length < 2) {
            throw new KodiakException("a learning-rate suggestion needs at least 2 points of the loss curve, got "
                    + lrs.length);
        }
        for (int i = 0; i < lrs.length; i++) {
            if (!(lrs[i] > 0) || Double.isInfinite(lrs[i]) || (i > 0 && !(lrs[i] > lrs[i - 1]))) {
                throw new KodiakException("learning rates must be positive and increasing; point " + i + " is "
                        + lrs[i]);
            }
            if (Double.isNaN(losses[i])) {
                throw new KodiakException("loss " + i + " is NaN; cut the curve before it");
            }
        }
    }
}
