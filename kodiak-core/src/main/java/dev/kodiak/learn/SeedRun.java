package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of {@link SeedRuns}: the training seed and the final metrics it reached.
 *
 * @param seed    the training seed of the run
 * @param metrics metric name → final value (e.g. {@code valid_loss}, {@code error_rate}), in the learner's order
 */
public record SeedRun(long seed, Map<String, Double> metrics) {
    public SeedRun {
        if (metrics == null || metrics.isEmpty()) {
            throw new KodiakException("the run with seed " + seed + " reported no final metrics: did it train?");
        }
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The final value of {@code metric}. */
    public double value(String metric) {
        Double v = metrics.get(metric);
        if (v == null) {
            throw new KodiakException("the run with seed " + seed + " has no metric '" + metric + "'; it has "
                    + metrics.keySet());
        }
        return v;
    }
}
