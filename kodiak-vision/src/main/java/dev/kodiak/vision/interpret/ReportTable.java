package dev.kodiak.vision.interpret;

import java.util.List;
import java.util.Locale;

/**
 * The fixed-width layout shared by the classification and multi-label reports: a label column as wide as the longest
 * label, then precision, recall, F1 and support (scikit-learn's {@code classification_report} layout).
 */
final class ReportTable {
    private final int width;
    private final StringBuilder b = new StringBuilder();

    /** A label column fitting every label of {@code rows} (and the averages' names); starts with the header. */
    ReportTable(List<ClassReport> rows) {
        width = Math.max(12, rows.stream().mapToInt(c -> c.label().length()).max().orElse(0));
        b.append(String.format(Locale.ROOT, "%" + width + "s  %9s  %9s  %9s  %7s%n", "", "precision", "recall", "f1",
                "support"));
    }

    ReportTable row(ClassReport c) {
        b.append(String.format(Locale.ROOT, "%" + width + "s  %9.3f  %9.3f  %9.3f  %7d%n", c.label(), c.precision(),
                c.recall(), c.f1(), c.support()));
        return this;
    }

    ReportTable rows(List<ClassReport> rows) {
        rows.forEach(this::row);
        return this;
    }

    /** A line with only a value in the F1 column, as the accuracy line. */
    ReportTable single(String label, double value, int support) {
        b.append(String.format(Locale.ROOT, "%" + width + "s  %9s  %9s  %9.3f  %7d%n", label, "", "", value, support));
        return this;
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
