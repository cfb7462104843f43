package dev.kodiak.learn;

import java.util.Map;

/**
 * Loss and metrics over a whole loader.
 *
 * @param loss    mean loss per item
 * @param metrics metric name → value, in the learner's metric order
 * @param items   how many items were evaluated
 */
public record ValidationResult(double loss, Map<String, Double> metrics, int items) {
    public ValidationResult {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /** A metric's value; a clear error when the learner has no such metric. */
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new dev.kodiak.KodiakException("no metric '" + name + "'; this result has " + metrics.keySet());
        }
        return v;
    }
}
