package dev.kodiak.vision.interpret;

import java.util.Locale;

/**
 * The error rate over the evaluated items with a bootstrap confidence interval: the items are resampled with
 * replacement {@code resamples} times (seeded, so the interval is reproducible) and the interval holds the middle
 * {@code confidence} of the resampled error rates. On 150 validation images an error rate of 10% has an interval of
 * about 5–15%: differences smaller than that between two models say little.
 *
 * @param value      errors / items
 * @param low        lower end of the interval
 * @param high       upper end of the interval
 * @param confidence e.g. 0.95
 * @param items      how many items were evaluated
 * @param errors     how many were wrong
 * @param resamples  bootstrap resamples
 * @param seed       seed of the resampling
 */
public record ErrorRate(double value, double low, double high, double confidence, int items, int errors,
                        int resamples, long seed) {
    /** E.g. {@code 0.120 (95% CI 0.073–0.173; 18 of 150 wrong)}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f (%.0f%% CI %.3f–%.3f; %d of %d wrong)", value, confidence * 100, low,
                high, errors, items);
    }
}
