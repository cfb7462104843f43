package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import java.util.List;

/**
 * How much one metric moved from seed to seed over {@link SeedRuns}: the noise floor a comparison of two single
 * runs has to clear.
 *
 * @param metric the metric's name
 * @param values its final value in each run, in the order of the seeds
 * @param mean   the mean of {@code values}
 * @param sd     the sample standard deviation (divisor n − 1); NaN for a single run
 * @param min    the smallest value
 * @param max    the largest value
 */
public record SeedSpread(String metric, List<Double> values, double mean, double sd, double min, double max) {
    public SeedSpread {
        if (values == null || values.isEmpty()) {
            throw new KodiakException("the spread of '" + metric + "' needs at least one run");
        }
        values = List.copyOf(values);
    }

    /** The spread of {@code metric} over {@code runs}. */
    public static SeedSpread of(String metric, List<SeedRun> runs) {
        if (runs.isEmpty()) {
            throw new KodiakException("the spread of '" + metric + "' needs at least one run");
        }
        List<Double> values = runs.stream().map(r -> r.value(metric)).toList();
        double mean = values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
        double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        double sd = values.size() > 1 ? Math.sqrt(squares / (values.size() - 1)) : Double.NaN;
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return new SeedSpread(metric, values, mean, sd, min, max);
    }

    /** The number of runs. */
    public int n() {
        return values.size();
    }
}
