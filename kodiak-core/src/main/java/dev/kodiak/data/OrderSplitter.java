package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Sorts the items by a key (a date, a file time, a number in the name) and keeps the LAST {@code validPct}
 * for validation, and after it the last {@code testPct} for the test set: for data where the future must be
 * predicted from the past, a random split would leak the future into training.
 */
public record OrderSplitter(Function<Path, ? extends Comparable<?>> key, String keyName, double validPct, double testPct)
        implements Splitter {
    public OrderSplitter {
        SplitMath.checkPct("valid-pct", validPct, false);
        SplitMath.checkPct("test-pct", testPct, true);
        SplitMath.checkPct("valid-pct + test-pct", validPct + testPct, false);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Split split(List<Path> items, List<Object> labels) {
        List<Comparable> keys = new ArrayList<>(items.size());
        for (Path item : items) {
            Comparable k = key.apply(item);
            if (k == null) {
                throw new KodiakException("the " + keyName + " of " + item + " is unknown: cannot order it in time");
            }
            keys.add(k);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        // ties keep the items' own order, so the split is deterministic
        order.sort(Comparator.comparing((Integer i) -> keys.get(i)).thenComparing(i -> i));
        int n = items.size();
        int nTest = SplitMath.count(testPct, n);
        int nValid = SplitMath.count(validPct, n);
        int trainEnd = n - nTest - nValid;
        return new Split(
                SplitMath.sorted(order.subList(0, trainEnd)),
                SplitMath.sorted(order.subList(trainEnd, n - nTest)),
                SplitMath.sorted(order.subList(n - nTest, n)));
    }

    @Override
    public OrderSplitter withTest(double testPct) {
        return new OrderSplitter(key, keyName, validPct, testPct);
    }

    @Override
    public SplitterSpec spec() {
        return new SplitterSpec.ByTime(keyName, validPct, testPct);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "by %s, last %.0f%% valid%s", keyName, validPct * 100,
                testPct > 0 ? String.format(Locale.ROOT, ", then last %.0f%% test", testPct * 100) : "");
    }
}
