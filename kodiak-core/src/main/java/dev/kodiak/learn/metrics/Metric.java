package dev.kodiak.learn.metrics;

/**
 * A number that says how good the predictions are, computed over the whole dataset at once (not averaged over
 * batches, which would weigh a small last batch wrongly and make F1 meaningless). Get them from {@link Metrics}.
 */
public interface Metric {
    /** snake_case name as printed in the epoch table and accepted by {@code --metrics}, e.g. {@code error_rate}. */
    String name();

    /** The metric over all the predictions; NaN when there are none. */
    double compute(Predictions predictions);

    /** True for accuracy-like metrics, false for errors and losses (what early stopping and "best model" need). */
    boolean higherIsBetter();
}
