package dev.kodiak.compare;

import java.util.Locale;

/**
 * A number measured on a sample with its confidence interval: the estimate comes first, the interval says how far
 * it could be from the value on all the data like this.
 */
public record Estimate(double value, Interval interval) {
    /** E.g. {@code 0.120 (95% CI 0.073–0.173)}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.3f (%s)", value, interval);
    }
}
