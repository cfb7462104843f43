package dev.kodiak.vision.interpret;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One item a regression model got most wrong.
 *
 * @param index     position in the evaluated items
 * @param item      the image file; null when the predictions came without files
 * @param targets   the target columns' names
 * @param actual    the true value of each target column
 * @param predicted the model's value of each target column
 * @param error     the absolute error, averaged over the target columns
 */
public record RegressionTopLoss(int index, Path item, List<String> targets, double[] actual, double[] predicted,
                                double error) {
    public RegressionTopLoss {
        targets = List.copyOf(targets);
        actual = actual.clone();
        predicted = predicted.clone();
    }

    /** One line per target column, {@code actual/predicted}, e.g. {@code size 27.40/25.10}. */
    public String caption() {
        List<String> lines = new ArrayList<>();
        for (int j = 0; j < targets.size(); j++) {
            lines.add(String.format(Locale.ROOT, "%s %s/%s", targets.get(j), number(actual[j]), number(predicted[j])));
        }
        return String.join("\n", lines);
    }

    /** Two decimals, or three significant digits below 1 (so a scale of 0.0125 stays readable). */
    private static String number(double v) {
        return Math.abs(v) >= 1 || v == 0 || !Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v)
                : new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegressionTopLoss t && index == t.index && java.util.Objects.equals(item, t.item)
                && targets.equals(t.targets) && java.util.Arrays.equals(actual, t.actual)
                && java.util.Arrays.equals(predicted, t.predicted) && Double.compare(error, t.error) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * index + java.util.Arrays.hashCode(predicted);
    }

    @Override
    public String toString() {
        return "RegressionTopLoss[" + index + ", " + item + ", " + caption().replace('\n', ' ') + ", error " + error
                + "]";
    }
}
