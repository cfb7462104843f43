package dev.kodiak.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Like {@link RandomSplitter}, but takes the same fraction of every label, so rare classes are represented in
 * validation (and test) in proportion.
 */
public record StratifiedSplitter(double validPct, long seed, double testPct) implements Splitter {
    public StratifiedSplitter {
        SplitMath.checkPct("valid-pct", validPct, false);
        SplitMath.checkPct("test-pct", testPct, true);
        SplitMath.checkPct("valid-pct + test-pct", validPct + testPct, false);
    }

    @Override
    public Split split(List<Path> items, List<Object> labels) {
        Map<String, List<Integer>> byLabel = new TreeMap<>();
        for (int i = 0; i < items.size(); i++) {
            byLabel.computeIfAbsent(String.valueOf(labels.get(i)), k -> new ArrayList<>()).add(i);
        }
        List<Integer> train = new ArrayList<>();
        List<Integer> valid = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        long stream = 0;
        for (List<Integer> group : byLabel.values()) {
            SplitMath.shuffle(group, seed, stream++);
            int nValid = (int) Math.round(validPct * group.size());
            int nTest = (int) Math.round(testPct * group.size());
            valid.addAll(group.subList(0, nValid));
            test.addAll(group.subList(nValid, Math.min(group.size(), nValid + nTest)));
            train.addAll(group.subList(Math.min(group.size(), nValid + nTest), group.size()));
        }
        return new Split(SplitMath.sorted(train), SplitMath.sorted(valid), SplitMath.sorted(test));
    }

    @Override
    public StratifiedSplitter withTest(double testPct) {
        return new StratifiedSplitter(validPct, seed, testPct);
    }

    @Override
    public SplitterSpec spec() {
        return new SplitterSpec.Stratified(validPct, testPct, seed);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "stratified valid %.0f%%%s seed %d", validPct * 100,
                testPct > 0 ? String.format(Locale.ROOT, " test %.0f%%", testPct * 100) : "", seed);
    }
}
