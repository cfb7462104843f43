package dev.kodiak.vision.interpret;

import java.util.List;

/**
 * Per-class precision, recall, F1 and support, with accuracy and the macro (unweighted) and support-weighted
 * averages, like scikit-learn's {@code classification_report}.
 */
public record ClassificationReport(List<ClassReport> perClass, double accuracy, ClassReport macroAverage,
                                   ClassReport weightedAverage, int items) {
    public ClassificationReport {
        perClass = List.copyOf(perClass);
    }

    /** The report as a fixed-width table. */
    public String table() {
        return new ReportTable(perClass).rows(perClass).single("accuracy", accuracy, items)
                .rows(List.of(macroAverage, weightedAverage)).toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
