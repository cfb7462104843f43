package dev.kodiak.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The items of a data source, labelled and split, with the target block fitted to the labels
 * (its vocabulary known). No pixels have been read yet.
 *
 * @param source   where the items came from
 * @param items    every item, in the order the item getter returned them
 * @param labels   the raw label of each item (same order)
 * @param split    indices of train / valid / test items
 * @param target   the target block, fitted (vocabulary known)
 * @param splitter the splitter that made {@code split}
 * @param labeller the labeller that made {@code labels}
 */
public record Datasets(Path source, List<Path> items, List<Object> labels, Split split, TargetBlock target,
                       Splitter splitter, Labeller labeller) {
    public Datasets {
        items = List.copyOf(items);
        labels = List.copyOf(labels);
    }

    public List<Path> trainItems() {
        return pick(items, split.train());
    }

    public List<Path> validItems() {
        return pick(items, split.valid());
    }

    public List<Path> testItems() {
        return pick(items, split.test());
    }

    public List<Object> trainLabels() {
        return pick(labels, split.train());
    }

    public List<Object> validLabels() {
        return pick(labels, split.valid());
    }

    public List<Object> testLabels() {
        return pick(labels, split.test());
    }

    /** Items per label in each split: {@code {"train": {"grizzly": 120, ...}, "valid": {...}, "test": {...}}}. */
    public Map<String, Map<String, Integer>> counts() {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        counts.put("train", count(split.train()));
        counts.put("valid", count(split.valid()));
        counts.put("test", count(split.test()));
        return counts;
    }

    private Map<String, Integer> count(List<Integer> indices) {
        Map<String, Integer> c = new TreeMap<>();
        if (!indices.isEmpty() && !(target instanceof RegressionBlock)) {
            target.vocab().forEach(label -> c.put(label, 0)); // every label shows, even with no items here
        }
        for (int i : indices) {
            Object label = labels.get(i);
            if (target instanceof MultiCategoryBlock m) {
                for (String name : m.names(label)) {
                    c.merge(name, 1, Integer::sum);
                }
            } else if (target instanceof RegressionBlock) {
                c.merge("items", 1, Integer::sum);
            } else {
                c.merge(target.caption(label), 1, Integer::sum);
            }
        }
        return c;
    }

    static <T> List<T> pick(List<T> all, List<Integer> indices) {
        List<T> out = new ArrayList<>(indices.size());
        for (int i : indices) {
            out.add(all.get(i));
        }
        return out;
    }
}
