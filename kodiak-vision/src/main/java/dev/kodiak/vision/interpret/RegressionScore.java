package dev.kodiak.vision.interpret;

import dev.kodiak.compare.Estimate;
import java.util.Locale;

/**
 * A regression's errors on one target column (or on all of them), each with its bootstrap confidence interval.
 *
 * @param target the target column's name, or {@code overall} for every column together
 * @param mae    mean absolute error
 * @param rmse   root mean squared error
 * @param r2     coefficient of determination (scikit-learn's {@code r2_score}; overall: the mean over the columns)
 */
public record RegressionScore(String target, Estimate mae, Estimate rmse, Estimate r2) {
    /** E.g. {@code size: mae 1.234 (95% CI 1.0–1.5), rmse ..., r2 ...}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: mae %s, rmse %s, r2 %s", target, mae, rmse, r2);
    }
}
