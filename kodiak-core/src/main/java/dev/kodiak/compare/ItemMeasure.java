package dev.kodiak.compare;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.metrics.Predictions;

/**
 * What a comparison scores on each item, one per task: its mean over the items is the task's headline metric,
 * so a paired comparison of the per-item values is a comparison of that metric.
 */
public enum ItemMeasure {
    /** Single-label: 1 when the predicted class is wrong, else 0 (mean: the error rate). */
    ERROR_RATE("error_rate", "single-label", true),
    /** Multi-label: the share of the item's labels decided right at the threshold (mean: fastai's accuracy_multi). */
    ACCURACY_MULTI("accuracy_multi", "multi-label", false),
    /** Regression: the absolute error, averaged over the item's targets (mean: the MAE). */
    MAE("mae", "regression", true);

    private final String metric;
    private final String task;
    private final boolean lowerIsBetter;

    ItemMeasure(String metric, String task, boolean lowerIsBetter) {
        this.metric = metric;
        this.task = task;
        this.lowerIsBetter = lowerIsBetter;
    }

    /** The metric's name, as in {@code --json} outputs: {@code error_rate}, {@code accuracy_multi}, {@code mae}. */
    public String metric() {
        return metric;
    }

    /** The task it scores: {@code single-label}, {@code multi-label} or {@code regression}. */
    public String task() {
        return task;
    }

    public boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    /** True when every per-item value is 0 or 1 (then McNemar's exact test applies). */
    public boolean binary() {
        return this == ERROR_RATE;
    }

    /**
     * The per-item values of predictions (activated outputs, as {@link Predictions} holds them); {@code threshold}
     * decides multi-label labels (a label is predicted when its probability is above it, as accuracy_multi does).
     */
    public double[] perItem(Predictions p, double threshold) {
        double[] v = new double[p.n()];
        int k = p.k();
        switch (this) {
            case ERROR_RATE -> {
                requireSingleLabel(p, true);
                for (int i = 0; i < v.length; i++) {
                    v[i] = p.predictedClass(i) == p.classTargets()[i] ? 0 : 1;
                }
            }
            case ACCURACY_MULTI -> {
                requireSingleLabel(p, false);
                for (int i = 0; i < v.length; i++) {
                    int right = 0;
                    for (int j = 0; j < k; j++) {
                        right += (p.output(i, j) > threshold) == (p.target(i, j) != 0) ? 1 : 0;
                    }
                    v[i] = (double) right / k;
                }
            }
            case MAE -> {
                requireSingleLabel(p, false);
                for (int i = 0; i < v.length; i++) {
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        sum += Math.abs((double) p.output(i, j) - p.target(i, j));
                    }
                    v[i] = sum / k;
                }
            }
            default -> throw new IllegalStateException(name());
        }
        return v;
    }

    private void requireSingleLabel(Predictions p, boolean singleLabel) {
        if (p.singleLabel() != singleLabel) {
            throw new KodiakException(metric + " scores " + task + " predictions; these have "
                    + (p.singleLabel() ? "single-label class targets" : "float targets (multi-label or regression)"));
        }
    }
}
