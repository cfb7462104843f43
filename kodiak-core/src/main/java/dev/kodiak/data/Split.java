package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which items (by index into the item list) are for training, validation and the held-out test set.
 * The three are disjoint; each list is in ascending order.
 */
public record Split(List<Integer> train, List<Integer> valid, List<Integer> test) {
    public Split {
        train = List.copyOf(train);
        valid = List.copyOf(valid);
        test = List.copyOf(test);
        Set<Integer> seen = new HashSet<>();
        for (List<Integer> part : List.of(train, valid, test)) {
            for (Integer i : part) {
                if (!seen.add(i)) {
                    throw new KodiakException("item " + i + " is in more than one of train, valid and test");
                }
            }
        }
    }

    public Split(List<Integer> train, List<Integer> valid) {
        this(train, valid, List.of());
    }

    /** Number of items in all three parts. */
    public int size() {
        return train.size() + valid.size() + test.size();
    }
}
