package dev.kodiak.vision.interpret;

import java.util.List;
import java.util.Locale;

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
        int width = Math.max(12, perClass.stream().mapToInt(c -> c.label().length()).max().orElse(0));
        StringBuilder b = new StringBuilder();
        String head = "%" + width + "s  %9s  %9s  %9s  %7s%n";
        String row = "%" + width + "s  %9.3f  %9.3f  %9.3f  %7d%n";
        b.append(String.format(Locale.ROOT, head, "", "precision", "recall", "f1", "support"));
        for (ClassReport c : perClass) {
            b.append(String.format(Locale.ROOT, row, c.label(), c.precision(), c.recall(), c.f1(), c.support()));
        }
        b.append(String.format(Locale.ROOT, "%" + width + "s  %9s  %9s  %9.3f  %7d%n", "accuracy", "", "", accuracy,
                items));
        for (ClassReport c : List.of(macroAverage, weightedAverage)) {
            b.append(String.format(Locale.ROOT, row, c.label(), c.precision(), c.recall(), c.f1(), c.support()));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
