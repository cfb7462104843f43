package dev.kodiak.cli;

import dev.kodiak.learn.SeedRun;
import dev.kodiak.learn.SeedRuns;
import dev.kodiak.learn.SeedSpread;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code kodiak train --seeds}: the same training once per seed (through {@link SeedRuns}, as the Java API runs it),
 * each run printed and exported as a single run would be, then every metric's mean, standard deviation and range —
 * how far the seed alone moves a result before a change is credited with a difference.
 */
final class SeedsTraining {
    private final Output o;
    private final Function<TrainingRun, Map<String, Double>> train;

    /** {@code train} runs one training as {@code kodiak train} does and returns its final metrics. */
    SeedsTraining(Output o, Function<TrainingRun, Map<String, Double>> train) {
        this.o = o;
        this.train = train;
    }

    /**
     * One run per seed, writing {@link #modelFor}{@code (out, seed)}; every run splits the data with
     * {@code splitSeed}, or with its own seed when that is null ({@code --resplit}).
     */
    void run(List<Long> seeds, Path out, Long splitSeed) {
        Map<Long, Path> models = new LinkedHashMap<>();
        List<SeedRun> runs = SeedRuns.run(seeds, seed -> {
            Path model = modelFor(out, seed);
            models.put(seed, model);
            o.say("%n== Run %d of %d: training seed %d, %s ==", models.size(), seeds.size(), seed,
                    splitSeed != null ? "split of --seed " + splitSeed : "split drawn with seed " + seed);
            return train.apply(new TrainingRun(model, splitSeed != null ? splitSeed : seed, seed, true));
        });
        List<String> names = new ArrayList<>(runs.get(0).metrics().keySet());
        Map<String, SeedSpread> spreads = new LinkedHashMap<>();
        names.forEach(name -> spreads.put(name, SeedSpread.of(name, runs)));
        String metric = SeedRuns.firstMetric(runs);
        printTable(runs, spreads, splitSeed);
        SeedSpread first = spreads.get(metric);
        o.say("%s over %d runs: mean %.4f, sd %s, range %.4f–%.4f", metric, first.n(), first.mean(), sd(first),
                first.min(), first.max());
        o.say("The sd is the seed-to-seed noise of this recipe: a change to it whose effect on %s is not clearly larger "
                + "cannot be told from the seed by one run of each (pair two models on the same images with "
                + "`kodiak compare`).", metric);
        o.object(summary(metric, runs, models, spreads, splitSeed));
    }

    /** {@code m.kodiak} → {@code m-seed3.kodiak} (a name without {@code .kodiak} gets {@code -seed3} appended). */
    static Path modelFor(Path out, long seed) {
        String name = out.getFileName().toString();
        String tag = "-seed" + seed;
        String file = name.endsWith(".kodiak") ? name.substring(0, name.length() - ".kodiak".length()) + tag + ".kodiak"
                : name + tag;
        return out.resolveSibling(file);
    }

    private void printTable(List<SeedRun> runs, Map<String, SeedSpread> spreads, Long splitSeed) {
        int width = Math.max(12, spreads.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
        o.say("%n%d runs, %s:", runs.size(), splitSeed != null ? "all on the validation split of --seed " + splitSeed
                : "each on its own split (--resplit: the spread includes which images were held out)");
        StringBuilder head = new StringBuilder(pad("", width));
        runs.forEach(r -> head.append(String.format(Locale.ROOT, "%10s", "seed " + r.seed())));
        head.append(String.format(Locale.ROOT, "%10s%10s  %s", "mean", "sd", "range"));
        o.say("%s", head);
        spreads.forEach((name, s) -> {
            StringBuilder row = new StringBuilder(pad(name, width));
            s.values().forEach(v -> row.append(String.format(Locale.ROOT, "%10.4f", v)));
            row.append(String.format(Locale.ROOT, "%10.4f%10s  %.4f–%.4f", s.mean(), sd(s), s.min(), s.max()));
            o.say("%s", row);
        });
    }

    private static Map<String, Object> summary(String metric, List<SeedRun> runs, Map<Long, Path> models,
                                               Map<String, SeedSpread> spreads, Long splitSeed) {
        List<Map<String, Object>> values = new ArrayList<>();
        for (SeedRun r : runs) {
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("seed", r.seed());
            run.put("value", number(r.value(metric)));
            run.put("model", models.get(r.seed()).toAbsolutePath().toString());
            values.add(run);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("metric", metric);
        line.put("runs", values);
        line.putAll(spread(spreads.get(metric)));
        line.put("split_seed", splitSeed);
        Map<String, Object> all = new LinkedHashMap<>();
        spreads.forEach((name, s) -> all.put(name, spread(s)));
        line.put("metrics", all);
        return line;
    }

    private static Map<String, Object> spread(SeedSpread s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", number(s.mean()));
        m.put("sd", number(s.sd()));
        m.put("range", java.util.Arrays.asList(number(s.min()), number(s.max())));
        return m;
    }

    // JSON has no NaN: a single run's sd (or a skipped validation's loss) is null
    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String sd(SeedSpread s) {
        return Double.isNaN(s.sd()) ? "n/a (one run)" : String.format(Locale.ROOT, "%.4f", s.sd());
    }

    private static String pad(String s, int width) {
        return String.format(Locale.ROOT, "%-" + width + "s", s);
    }
}
