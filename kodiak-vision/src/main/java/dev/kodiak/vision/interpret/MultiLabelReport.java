package dev.kodiak.vision.interpret;

import java.util.List;
import java.util.Locale;

/**
 * Per-label precision, recall, F1 and support of a multi-label model at its threshold, with the micro, macro,
 * support-weighted and per-item (samples) averages, like scikit-learn's {@code classification_report} on multi-hot
 * targets. A label counts as predicted when its probability is above the threshold.
 *
 * @param perLabel        one row per label, in label order (support: items that have the label)
 * @param microAverage    precision, recall and F1 of all (item, label) decisions pooled
 * @param macroAverage    the unweighted mean of the labels' rows ({@code f1} is {@code f1_macro})
 * @param weightedAverage the mean of the labels' rows weighted by their support
 * @param samplesAverage  the mean over items of each item's precision, recall and F1 ({@code f1} is {@code f1_samples})
 * @param threshold       the probability above which a label is predicted
 * @param items           how many items were evaluated
 */
public record MultiLabelReport(List<ClassReport> perLabel, ClassReport microAverage, ClassReport macroAverage,
                               ClassReport weightedAverage, ClassReport samplesAverage, double threshold,
                               int items) {
    public MultiLabelReport {
        perLabel = List.copyOf(perLabel);
    }

    /** The report as a fixed-width table; the averages' support counts every true label. */
    public String table() {
        return new ReportTable(perLabel).rows(perLabel)
                .rows(List.of(microAverage, macroAverage, weightedAverage, samplesAverage))
                + String.format(Locale.ROOT, "%d items, threshold %.2f%n", items, threshold);
    }

    @Override
    public String toString() {
        return table();
    }
}
