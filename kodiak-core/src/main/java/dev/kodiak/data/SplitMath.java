package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Arithmetic shared by the splitters: percentages to counts, seeded shuffles, carving a test set. */
final class SplitMath {
    private SplitMath() {
    }

    static void checkPct(String what, double pct, boolean zeroAllowed) {
        boolean ok = zeroAllowed ? pct >= 0 && pct < 1 : pct > 0 && pct < 1;
        if (!ok) {
            throw new KodiakException(what + " must be " + (zeroAllowed ? "at least 0" : "more than 0")
                    + " and less than 1 (a fraction, e.g. 0.2 for 20%), got " + pct);
        }
    }

    /** floor(pct × n), robust to binary rounding: 0.2 of 750 is 150. */
    static int count(double pct, int n) {
        return (int) Math.floor(pct * n + 1e-9);
    }

    /** 0..n-1 in an order that depends only on {@code seed}. */
    static List<Integer> permutation(int n, long seed) {
        List<Integer> order = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        shuffle(order, seed, 0);
        return order;
    }

    /** Fisher–Yates with Kodiak's own generator (never libtorch's), so a seed means the same on every run. */
    static void shuffle(List<Integer> list, long seed, long stream) {
        Rng rng = Rng.of(seed, "split", stream, 0);
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, rng.nextInt(i + 1));
        }
    }

    static List<Integer> sorted(List<Integer> list) {
        List<Integer> copy = new ArrayList<>(list);
        Collections.sort(copy);
        return copy;
    }

    /** Moves a seeded random {@code testPct} of all items out of the training part of {@code split}. */
    static Split carveTestFromTrain(Split split, double testPct, long seed) {
        if (testPct <= 0) {
            return split;
        }
        int n = count(testPct, split.size());
        List<Integer> train = new ArrayList<>(split.train());
        shuffle(train, seed, 1);
        if (n >= train.size()) {
            throw new KodiakException("test-pct " + testPct + " would take all " + train.size() + " training items");
        }
        List<Integer> test = new ArrayList<>(train.subList(0, n));
        List<Integer> rest = new ArrayList<>(train.subList(n, train.size()));
        List<Integer> allTest = new ArrayList<>(split.test());
        allTest.addAll(test);
        return new Split(sorted(rest), split.valid(), sorted(allTest));
    }
}
