package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.Datasets;
import dev.kodiak.data.MultiCategoryBlock;
import dev.kodiak.data.RegressionBlock;
import dev.kodiak.data.TargetBlock;
import dev.kodiak.learn.loss.Loss;
import dev.kodiak.learn.loss.Losses;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.learn.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * What a learner trains for its data's target block, decided here once for {@code VisionLearner}, {@code kodiak
 * train} and {@code kodiak lr-find}:
 * <ul>
 *   <li>{@link CategoryBlock}: single-label, cross-entropy, {@code error_rate} and {@code accuracy};</li>
 *   <li>{@link MultiCategoryBlock}: multi-label with its threshold (default 0.5), BCE with logits,
 *       {@code accuracy_multi}, {@code f1_samples}, {@code f1_macro} (at 0.5, as fastai's metrics);</li>
 *   <li>{@link RegressionBlock}: regression, MSE, {@code mae}, {@code rmse}, {@code r2}; the outputs go through
 *       fastai's {@code sigmoid_range} when there is a y-range — by default the training targets' range widened by
 *       {@link YRange#MARGIN} on each side, per target column.</li>
 * </ul>
 *
 * @param task              the task, with its threshold or y-ranges
 * @param loss              the loss (a given one, or the target's), after {@code sigmoid_range} when there is a y-range
 * @param metrics           the given metrics, or the target's defaults when none were given
 * @param yRangeFromTargets true when the y-ranges are the default drawn from the training targets
 */
public record TaskDefaults(Task task, Loss loss, List<Metric> metrics, boolean yRangeFromTargets) {
    public TaskDefaults {
        metrics = List.copyOf(metrics);
    }

    /**
     * The task, loss and metrics for {@code data}'s target.
     *
     * @param yRanges   regression: null for the default from the training targets, empty for plain linear outputs,
     *                  one range for every output or one per output; must be null or empty for other targets
     * @param threshold multi-label: the probability from which a label is predicted (null: 0.5); null for others
     * @param loss      a loss of the caller's, or null for the target's
     * @param metrics   the caller's metrics, or empty for the target's defaults
     */
    public static TaskDefaults decide(Datasets data, List<YRange> yRanges, Double threshold, Loss loss,
                                      List<Metric> metrics) {
        TargetBlock target = data.target();
        Task plain = Task.forTarget(target);
        if (!(plain instanceof Task.Regression) && yRanges != null && !yRanges.isEmpty()) {
            throw new KodiakException("--y-range applies to regression, but this task is " + plain.name());
        }
        if (!(plain instanceof Task.MultiLabel) && threshold != null) {
            throw new KodiakException("--threshold applies to multi-label, but this task is " + plain.name());
        }
        Loss base = loss != null ? loss : Losses.forTarget(target.defaultLoss());
        List<Metric> chosen = metrics.isEmpty() ? defaultMetrics(plain) : metrics;
        if (plain instanceof Task.MultiLabel) {
            return new TaskDefaults(new Task.MultiLabel(plain.labels(),
                    threshold == null ? Task.DEFAULT_THRESHOLD : threshold, false), base, chosen, false);
        }
        if (!(plain instanceof Task.Regression)) {
            return new TaskDefaults(plain, base, chosen, false);
        }
        List<YRange> ranges = yRanges != null ? yRanges : aroundTrainingTargets(data, plain.labels().size());
        Task.Regression task = new Task.Regression(plain.labels(), ranges);
        Loss squashed = ranges.isEmpty() ? base : Losses.sigmoidRange(base, task.sigmoidRange());
        return new TaskDefaults(task, squashed, chosen, yRanges == null);
    }

    /** The metrics a task shows by default (the CLI's {@code --metrics} replaces them). */
    public static List<Metric> defaultMetrics(Task task) {
        return Metrics.byNames(switch (task.name()) {
            case dev.kodiak.model.Manifest.MULTI_LABEL -> "accuracy_multi,f1_samples,f1_macro";
            case dev.kodiak.model.Manifest.REGRESSION -> "mae,rmse,r2";
            default -> "error_rate,accuracy";
        });
    }

    /** A regression's y-ranges in words: {@code LO,HI}, or {@code name LO,HI; name LO,HI} per target. */
    public static String yRangeText(Task task) {
        if (!(task instanceof Task.Regression r) || r.yRanges().isEmpty()) {
            return "none";
        }
        if (r.yRanges().size() == 1) {
            return shown(r.yRanges().get(0));
        }
        List<String> parts = new ArrayList<>();
        for (int j = 0; j < r.yRanges().size(); j++) {
            parts.add(r.labels().get(j) + " " + shown(r.yRanges().get(j)));
        }
        return String.join("; ", parts);
    }

    // 4 significant digits: the printed range is for reading (the model file keeps the exact values)
    private static String shown(YRange range) {
        return shown(range.lo()) + "," + shown(range.hi());
    }

    private static String shown(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    // Each column's own range: targets of different scales (a size in cm, an angle in degrees) each keep the whole
    // of the sigmoid's steep part.
    private static List<YRange> aroundTrainingTargets(Datasets data, int columns) {
        List<Object> labels = data.trainLabels();
        double[][] byColumn = new double[columns][labels.size()];
        for (int i = 0; i < labels.size(); i++) {
            double[] v = RegressionBlock.values(labels.get(i));
            if (v.length != columns) {
                throw new KodiakException("training item " + data.trainItems().get(i) + " has " + v.length
                        + " target value(s), but the regression has " + columns);
            }
            for (int j = 0; j < columns; j++) {
                byColumn[j][i] = v[j];
            }
        }
        List<YRange> ranges = new ArrayList<>();
        for (double[] column : byColumn) {
            ranges.add(YRange.around(column));
        }
        return ranges;
    }
}
