package dev.kodiak.cli;

import dev.kodiak.compare.Comparison;
import dev.kodiak.compare.ItemMeasure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * A comparison read out in plain words, in the order the American Statistical Association's statement on p-values
 * (Wasserstein and Lazar, 2016) asks for: the estimate and its interval first; then what the p-value does and does
 * not say (a small one: chance alone is an unlikely explanation, not that the difference matters; a large one:
 * not evidence of no difference); then how much data would settle it.
 */
final class ComparisonReading {
    private ComparisonReading() {
    }

    static List<String> of(Comparison c) {
        ItemMeasure m = c.measure();
        List<String> lines = new ArrayList<>();
        double d = c.difference();
        String metric = m.metric().replace('_', ' ');
        if (d == 0) {
            lines.add(String.format(Locale.ROOT, "B and A have the same %s on these %d items.", metric, c.n()));
        } else {
            boolean bBetter = (d < 0) == m.lowerIsBetter();
            lines.add(String.format(Locale.ROOT, "B's %s is %s %s than A's on these %d items (B is %s here).", metric,
                    amount(m, Math.abs(d)), d < 0 ? "lower" : "higher", c.n(), bBetter ? "better" : "worse"));
        }
        double lo = c.differenceInterval().low();
        double hi = c.differenceInterval().high();
        if (lo == hi) {
            lines.add("Every resample of the items gives the same difference: the models "
                    + (c.discordant().total() == 0 ? "agree on every item." : "differ the same way on every item."));
        } else if (lo < 0 && hi > 0) {
            lines.add(String.format(Locale.ROOT, "The 95%% interval runs from %s lower to %s higher: these data are "
                    + "compatible with B being better, about the same, or worse.", amount(m, -lo), amount(m, hi)));
        } else {
            double near = Math.min(Math.abs(lo), Math.abs(hi));
            double far = Math.max(Math.abs(lo), Math.abs(hi));
            lines.add(String.format(Locale.ROOT, "The 95%% interval runs from %s to %s %s%s.", number(m, near),
                    amount(m, far), hi <= 0 ? "lower" : "higher", near == 0 ? "" : ": it leaves out no difference"));
        }
        String p = pValue(c.pValue());
        if (c.discordant().total() == 0) {
            lines.add("p = " + p + ": no item tells the models apart. That is not evidence that they are equally "
                    + "good on other items.");
        } else if (c.pValue() < 0.05) {
            lines.add("p = " + p + ": a difference this large would be unlikely if chance alone were at work. That "
                    + "does not say it matters: judge that from the size of the difference and its interval.");
        } else {
            lines.add("p = " + p + ": chance alone could well produce a difference this large. That is not evidence "
                    + "that the models are equally good: these items may be too few to tell.");
        }
        OptionalLong need = c.itemsForPower(0.8);
        if (need.isPresent()) {
            lines.add(String.format(Locale.ROOT, "To detect a difference of %s with 80%% power (p < 0.05) would take "
                    + "about %,d items%s.", amount(m, Math.abs(d)), need.getAsLong(),
                    need.getAsLong() <= c.n() ? ", no more than these" : ""));
        }
        return lines;
    }

    /** E.g. {@code 0.0123} or {@code 3.1e-07}; exact 1 as {@code 1}. */
    static String pValue(double p) {
        if (p >= 0.001) {
            return String.format(Locale.ROOT, "%.3f", p);
        }
        return String.format(Locale.ROOT, "%.1e", p);
    }

    // Rates read best in percentage points; an MAE in the target's own units.
    static String amount(ItemMeasure m, double x) {
        return number(m, x) + (m == ItemMeasure.MAE ? "" : " percentage points");
    }

    private static String number(ItemMeasure m, double x) {
        return m == ItemMeasure.MAE ? String.format(Locale.ROOT, "%.3g", x) : String.format(Locale.ROOT, "%.1f", 100 * x);
    }
}
