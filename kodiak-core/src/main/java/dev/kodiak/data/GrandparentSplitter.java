package dev.kodiak.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits by the folder two levels up: {@code data/train/grizzly/1.jpg} is training, {@code data/valid/...} is
 * validation and {@code data/test/...} is the test set; other items are ignored. With {@code testPct} and no
 * test folder, that fraction of the training items (seeded) is held out instead.
 */
public record GrandparentSplitter(String trainName, String validName, String testName, double testPct, long seed)
        implements Splitter {
    public GrandparentSplitter {
        SplitMath.checkPct("test-pct", testPct, true);
    }

    @Override
    public Split split(List<Path> items, List<Object> labels) {
        List<Integer> train = new ArrayList<>();
        List<Integer> valid = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String grandparent = grandparent(items.get(i));
            if (trainName.equals(grandparent)) {
                train.add(i);
            } else if (validName.equals(grandparent)) {
                valid.add(i);
            } else if (testName.equals(grandparent)) {
                test.add(i);
            }
        }
        Split split = new Split(train, valid, test);
        return test.isEmpty() ? SplitMath.carveTestFromTrain(split, testPct, seed) : split;
    }

    static String grandparent(Path item) {
        Path parent = item.toAbsolutePath().getParent();
        Path grand = parent == null ? null : parent.getParent();
        return grand == null || grand.getFileName() == null ? "" : grand.getFileName().toString();
    }

    @Override
    public GrandparentSplitter withTest(double testPct) {
        return new GrandparentSplitter(trainName, validName, testName, testPct, seed);
    }

    @Override
    public SplitterSpec spec() {
        return new SplitterSpec.Grandparent(trainName, validName, testName, testPct, seed);
    }

    @Override
    public String describe() {
        return "grandparent folders " + trainName + "/" + validName
                + (testPct > 0 ? String.format(Locale.ROOT, " test %.0f%% seed %d", testPct * 100, seed) : "/" + testName);
    }
}
