package dev.kodiak.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Keeps {@code validPct} (and {@code testPct}) of the items, chosen at random with {@code seed}, out of training. */
public record RandomSplitter(double validPct, long seed, double testPct) implements Splitter {
    public RandomSplitter {
        SplitMath.checkPct("valid-pct", validPct, false);
        SplitMath.checkPct("test-pct", testPct, true);
        SplitMath.checkPct("valid-pct + test-pct", validPct + testPct, false);
    }

    @Override
    public Split split(List<Path> items, List<Object> labels) {
        List<Integer> order = SplitMath.permutation(items.size(), seed);
        int nValid = SplitMath.count(validPct, items.size());
        int nTest = SplitMath.count(testPct, items.size());
        return new Split(
                SplitMath.sorted(order.subList(nValid + nTest, order.size())),
                SplitMath.sorted(order.subList(0, nValid)),
                SplitMath.sorted(order.subList(nValid, nValid + nTest)));
    }

    @Override
    public RandomSplitter withTest(double testPct) {
        return new RandomSplitter(validPct, seed, testPct);
    }

    @Override
    public SplitterSpec spec() {
        return new SplitterSpec.Random(validPct, testPct, seed);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "random valid %.0f%%%s seed %d", validPct * 100,
                testPct > 0 ? String.format(Locale.ROOT, " test %.0f%%", testPct * 100) : "", seed);
    }
}
