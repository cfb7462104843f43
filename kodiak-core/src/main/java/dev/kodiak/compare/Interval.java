package dev.kodiak.compare;

import dev.kodiak.KodiakException;
import java.util.Locale;

/**
 * A confidence interval.
 *
 * @param low        lower end
 * @param high       upper end
 * @param confidence e.g. 0.95
 */
public record Interval(double low, double high, double confidence) {
    public Interval {
        if (!(confidence > 0 && confidence < 1)) {
            throw new KodiakException("confidence must be between 0 and 1 (exclusive), got " + confidence);
        }
        if (low > high) {
            throw new KodiakException("an interval's low end " + low + " is above its high end " + high);
        }
    }

    public boolean contains(double x) {
        return low <= x && x <= high;
    }

    /** E.g. {@code 95% CI 0.073–0.173}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.0f%% CI %.3f–%.3f", confidence * 100, low, high);
    }
}
