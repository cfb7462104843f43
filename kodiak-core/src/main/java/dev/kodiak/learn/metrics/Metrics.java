package dev.kodiak.learn.metrics;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metrics shown in the epoch table, by their fastai names. All are computed over the whole validation set. */
public final class Metrics {
    private static final Pattern TOP_K = Pattern.compile("top_(\\d{1,4})_accuracy");
    private static final String KNOWN = "error_rate, accuracy, top_5_accuracy (any k: top_<k>_accuracy), f1_score, "
            + "f1_macro, accuracy_multi, f1_samples, mse, mae, rmse, r2";

    private Metrics() {
    }

    /** Fraction of items whose most probable class is wrong: 1 − accuracy. */
    public static Metric errorRate() {
        return new NamedMetric("error_rate", false, p -> 1 - MetricMath.accuracy(p));
    }

    /** Fraction of items whose most probable class is the target (ties: lowest class index wins). */
    public static Metric accuracy() {
        return new NamedMetric("accuracy", true, MetricMath::accuracy);
    }

    /** Fraction of items whose target is among the {@code k} most probable classes; named {@code top_<k>_accuracy}. */
    public static Metric topKAccuracy(int k) {
        if (k < 1) {
            throw new KodiakException("top-k accuracy needs k >= 1, got " + k);
        }
        String name = "top_" + k + "_accuracy";
        return new NamedMetric(name, true, p -> MetricMath.topKAccuracy(p, k, name));
    }

    /**
     * Macro-averaged F1 ({@code f1_score}), like scikit-learn's: the mean of per-class F1 over the classes that
     * appear in the targets or the predictions.
     */
    public static Metric f1Macro() {
        return new NamedMetric("f1_score", true, MetricMath::f1Macro);
    }

    /** Multi-label accuracy at threshold 0.5 over every (item, label) pair. */
    public static Metric accuracyMulti() {
        return accuracyMulti(0.5);
    }

    /** Multi-label accuracy: a label is predicted when its probability is above {@code threshold}. */
    public static Metric accuracyMulti(double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new KodiakException("accuracy_multi's threshold must be between 0 and 1, got " + threshold);
        }
        return new NamedMetric("accuracy_multi", true, p -> MetricMath.accuracyMulti(p, threshold));
    }

    /** Mean squared error over every output value. */
    public static Metric mse() {
        return new NamedMetric("mse", false, p -> MetricMath.mse(p, "mse"));
    }

    /** Mean absolute error over every output value. */
    public static Metric mae() {
        return new NamedMetric("mae", false, MetricMath::mae);
    }

    /** Root mean squared error: the square root of {@link #mse()} over the whole set. */
    public static Metric rmse() {
        return new NamedMetric("rmse", false, p -> Math.sqrt(MetricMath.mse(p, "rmse")));
    }

    /** Coefficient of determination (scikit-learn's {@code r2_score}, averaged over output columns). */
    public static Metric r2() {
        return new NamedMetric("r2", true, MetricMath::r2);
    }

    /** Multi-label F1 averaged over items (scikit-learn's {@code average='samples'}) at threshold 0.5. */
    public static Metric f1Samples() {
        return f1Samples(0.5);
    }

    /** Multi-label F1 averaged over items, a label predicted when its probability is above {@code threshold}. */
    public static Metric f1Samples(double threshold) {
        checkThreshold("f1_samples", threshold);
        return new NamedMetric("f1_samples", true, p -> MetricMath.f1Samples(p, threshold));
    }

    /**
     * Macro F1 ({@code f1_macro}): over labels for multi-label predictions (a label predicted above
     * {@code threshold}), over classes for single-label ones (as {@link #f1Macro()}).
     */
    public static Metric f1MacroAt(double threshold) {
        checkThreshold("f1_macro", threshold);
        return new NamedMetric("f1_macro", true,
                p -> p.singleLabel() ? MetricMath.f1Macro(p) : MetricMath.f1MacroMulti(p, threshold));
    }

    private static void checkThreshold(String name, double threshold) {
        if (!(threshold > 0 && threshold < 1)) {
            throw new KodiakException(name + "'s threshold must be between 0 and 1, got " + threshold);
        }
    }

    /** A metric by name, as the CLI's {@code --metrics} gives it. */
    public static Metric byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        Matcher m = TOP_K.matcher(n);
        if (m.matches()) {
            return topKAccuracy(Integer.parseInt(m.group(1)));
        }
        return switch (n) {
            case "error_rate" -> errorRate();
            case "accuracy" -> accuracy();
            case "top_k_accuracy" -> topKAccuracy(5);
            case "f1_score", "f1" -> f1Macro();
            case "f1_macro" -> f1MacroAt(0.5);
            case "f1_samples" -> f1Samples();
            case "r2" -> r2();
            case "accuracy_multi" -> accuracyMulti();
            case "mse" -> mse();
            case "mae" -> mae();
            case "rmse" -> rmse();
            default -> throw new KodiakException("unknown metric '" + name + "'; known: " + KNOWN);
        };
    }

    /** Several metrics from a comma-separated list, e.g. {@code error_rate,accuracy}; blank gives none. */
    public static List<Metric> byNames(String commaSeparated) {
        List<Metric> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                out.add(byName(part));
            }
        }
        return out;
    }
}
