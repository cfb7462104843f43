package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongFunction;

/**
 * The same training recipe once per seed, to see how far the seed alone moves the metrics (initialisation of the
 * head or of a random body, shuffling, augmentation draws, dropout) before reading a difference between two models.
 * {@code kodiak train --seeds} runs through {@link #run}.
 * <pre>{@code
 * List<SeedRun> runs = SeedRuns.train(List.of(1L, 2L, 3L),
 *         seed -> VisionLearner.create(block.dataLoaders(dir, LoaderOptions.defaults().withSeed(seed)),
 *                 Architectures.RESNET18, VisionLearnerOptions.defaults().seed(seed)),
 *         learn -> learn.fineTune(3));
 * SeedSpread errors = SeedSpread.of("error_rate", runs);   // mean(), sd(), min(), max()
 * }</pre>
 * Keep the data block's splitter seed fixed in the factory to compare runs on the same validation images.
 */
public final class SeedRuns {
    private SeedRuns() {
    }

    /**
     * Runs {@code train} once per seed, in order, and collects each run's final metrics. {@code train} builds
     * everything that depends on the seed itself, trains, and returns the final metrics (e.g. {@link #finalMetrics}).
     */
    public static List<SeedRun> run(List<Long> seeds, LongFunction<Map<String, Double>> train) {
        List<Long> checked = check(seeds);
        List<SeedRun> runs = new ArrayList<>();
        for (long seed : checked) {
            runs.add(new SeedRun(seed, train.apply(seed)));
        }
        return List.copyOf(runs);
    }

    /**
     * For each seed: {@code create} builds a learner with that seed (on data loaders of its own), {@code recipe}
     * trains it (e.g. {@code learn -> learn.fineTune(3)}), and the final metrics are kept. The data loaders of each
     * learner are closed after its run.
     */
    public static List<SeedRun> train(List<Long> seeds, LongFunction<Learner> create, Consumer<Learner> recipe) {
        return run(seeds, seed -> {
            Learner learn = create.apply(seed);
            try {
                recipe.accept(learn);
                return finalMetrics(learn);
            } finally {
                learn.dls().close();
            }
        });
    }

    /** The last epoch's {@code valid_loss} and metrics, in the learner's metric order. */
    public static Map<String, Double> finalMetrics(Learner learn) {
        EpochResult last = learn.recorder().lastEpoch();
        if (last == null) {
            throw new KodiakException("the learner has not completed an epoch: train it before reading its final metrics");
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("valid_loss", last.validLoss());
        metrics.putAll(last.metrics());
        return metrics;
    }

    /** The metric a summary of {@code runs} leads with: the first metric after {@code valid_loss}, else that. */
    public static String firstMetric(List<SeedRun> runs) {
        if (runs.isEmpty()) {
            throw new KodiakException("no runs to summarise");
        }
        return runs.get(0).metrics().keySet().stream().filter(k -> !"valid_loss".equals(k)).findFirst()
                .orElse("valid_loss");
    }

    /** Seeds as {@code --seeds} takes them: {@code 1,2,3} — whole numbers, at least one, no repeats. */
    public static List<Long> parse(String text) {
        List<Long> seeds = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String s = part.strip();
            try {
                seeds.add(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new KodiakException("seeds must be whole numbers separated by commas (e.g. 1,2,3), but '" + s
                        + "' in '" + text + "' is not one");
            }
        }
        return check(seeds);
    }

    /** {@code seeds} after checking there is at least one and none repeats. */
    public static List<Long> check(List<Long> seeds) {
        if (seeds == null || seeds.isEmpty()) {
            throw new KodiakException("give at least one seed (e.g. 1,2,3)");
        }
        var seen = new HashSet<Long>();
        for (Long s : seeds) {
            if (s == null) {
                throw new KodiakException("a seed is missing in " + seeds);
            }
            if (!seen.add(s)) {
                throw new KodiakException("seed " + s + " is given twice in " + seeds
                        + ": the same seed trains the same model again; give distinct seeds");
            }
        }
        return List.copyOf(seeds);
    }
}
