package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Any number of labels per item (multi-label classification), encoded as a multi-hot vector over a sorted
 * vocabulary. A label may be a collection of names or one string of names separated by {@code delimiter}.
 */
public final class MultiCategoryBlock implements TargetBlock {
    private final List<String> vocab;
    private final String delimiter;
    private final Map<String, Integer> index = new HashMap<>();

    private MultiCategoryBlock(List<String> vocab, String delimiter) {
        if (delimiter == null || delimiter.isEmpty()) {
            throw new KodiakException("a multi-label delimiter must not be empty");
        }
        this.vocab = List.copyOf(vocab);
        this.delimiter = delimiter;
        for (int i = 0; i < this.vocab.size(); i++) {
            if (index.put(this.vocab.get(i), i) != null) {
                throw new KodiakException("multi-label vocabulary has a duplicate: '" + this.vocab.get(i) + "'");
            }
        }
    }

    /** Labels given as collections, or as strings of names separated by spaces. */
    public static MultiCategoryBlock create() {
        return new MultiCategoryBlock(List.of(), " ");
    }

    /** Labels given as strings of names separated by {@code delimiter} (e.g. {@code ";"}). */
    public static MultiCategoryBlock delimitedBy(String delimiter) {
        return new MultiCategoryBlock(List.of(), delimiter);
    }

    /** A fixed vocabulary, in this order. */
    public static MultiCategoryBlock withVocab(List<String> vocab) {
        return new MultiCategoryBlock(vocab, " ");
    }

    /** The names in one label. */
    public List<String> names(Object label) {
        if (label == null) {
            throw new KodiakException("an item has no labels (the labeller returned null)");
        }
        List<String> names = new ArrayList<>();
        if (label instanceof Collection<?> c) {
            for (Object o : c) {
                names.add(o.toString().trim());
            }
        } else {
            for (String s : label.toString().split(Pattern.quote(delimiter))) {
                names.add(s.trim());
            }
        }
        names.removeIf(String::isEmpty);
        return names;
    }

    @Override
    public MultiCategoryBlock fit(List<Object> labels) {
        if (!vocab.isEmpty()) {
            return this;
        }
        TreeSet<String> classes = new TreeSet<>();
        for (Object label : labels) {
            classes.addAll(names(label));
        }
        return new MultiCategoryBlock(List.copyOf(classes), delimiter);
    }

    @Override
    public List<String> vocab() {
        return vocab;
    }

    @Override
    public int outputs() {
        return vocab.size();
    }

    @Override
    public long encode(Object label, float[] floats) {
        java.util.Arrays.fill(floats, 0f);
        for (String name : names(label)) {
            Integer i = index.get(name);
            if (i == null) {
                throw new KodiakException("label '" + name + "' is not one of the " + vocab.size() + " classes " + vocab);
            }
            floats[i] = 1f;
        }
        return -1;
    }

    @Override
    public String caption(Object label) {
        return String.join(";", names(label));
    }

    @Override
    public String defaultLoss() {
        return "bce_with_logits";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiCategoryBlock m && m.vocab.equals(vocab) && m.delimiter.equals(delimiter);
    }

    @Override
    public int hashCode() {
        return vocab.hashCode() * 31 + delimiter.hashCode();
    }

    @Override
    public String toString() {
        return "MultiCategoryBlock" + vocab;
    }
}
