package dev.kodiak.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Validation items chosen by a rule on (index, item), e.g. {@code byFunction(p -> p.toString().contains("2019"))}
 * or {@code byIndex(Set.of(...))}. A held-out test set, if asked for, is a seeded random part of the rest.
 */
public record FunctionSplitter(BiPredicate<Integer, Path> isValid, String description, double testPct, long seed)
        implements Splitter {
    public FunctionSplitter {
        SplitMath.checkPct("test-pct", testPct, true);
    }

    @Override
    public Split split(List<Path> items, List<Object> labels) {
        List<Integer> train = new ArrayList<>();
        List<Integer> valid = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            (isValid.test(i, items.get(i)) ? valid : train).add(i);
        }
        return SplitMath.carveTestFromTrain(new Split(train, valid), testPct, seed);
    }

    @Override
    public FunctionSplitter withTest(double testPct) {
        return new FunctionSplitter(isValid, description, testPct, seed);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public SplitterSpec spec() {
        return new SplitterSpec.Custom(describe(), testPct);
    }
}
