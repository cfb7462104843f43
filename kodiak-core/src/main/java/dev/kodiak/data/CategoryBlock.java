package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * One label per item from a fixed set of classes. The vocabulary is sorted (like fastai), so class indices
 * do not depend on the order of the files.
 */
public final class CategoryBlock implements TargetBlock {
    private final List<String> vocab;
    private final Map<String, Integer> index = new HashMap<>();

    private CategoryBlock(List<String> vocab) {
        this.vocab = List.copyOf(vocab);
        for (int i = 0; i < this.vocab.size(); i++) {
            if (index.put(this.vocab.get(i), i) != null) {
                throw new KodiakException("category vocabulary has a duplicate: '" + this.vocab.get(i) + "'");
            }
        }
    }

    /** A block whose vocabulary comes from the data. */
    public static CategoryBlock create() {
        return new CategoryBlock(List.of());
    }

    /** A block with a fixed vocabulary, in this order (e.g. to reuse a model's classes). */
    public static CategoryBlock withVocab(List<String> vocab) {
        return new CategoryBlock(vocab);
    }

    @Override
    public CategoryBlock fit(List<Object> labels) {
        if (!vocab.isEmpty()) {
            return this;
        }
        TreeSet<String> classes = new TreeSet<>();
        for (Object label : labels) {
            classes.add(name(label));
        }
        return new CategoryBlock(List.copyOf(classes));
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
        Integer i = index.get(name(label));
        if (i == null) {
            throw new KodiakException("label '" + label + "' is not one of the " + vocab.size() + " classes " + vocab);
        }
        return i;
    }

    @Override
    public boolean isIndex() {
        return true;
    }

    @Override
    public String caption(Object label) {
        return name(label);
    }

    @Override
    public String defaultLoss() {
        return "cross_entropy";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoryBlock c && c.vocab.equals(vocab);
    }

    @Override
    public int hashCode() {
        return vocab.hashCode();
    }

    @Override
    public String toString() {
        return "CategoryBlock" + vocab;
    }

    static String name(Object label) {
        if (label == null) {
            throw new KodiakException("an item has no label (the labeller returned null)");
        }
        return label.toString();
    }
}
