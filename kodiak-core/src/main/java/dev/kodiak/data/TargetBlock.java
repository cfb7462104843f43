package dev.kodiak.data;

import java.util.List;

/**
 * What a dataset predicts: one category, several categories, or numbers. A block starts unfitted (vocabulary
 * unknown) and {@link #fit} learns what it needs from the labels of all items.
 */
public sealed interface TargetBlock permits CategoryBlock, MultiCategoryBlock, RegressionBlock {
    /** A copy of this block that knows its vocabulary (or value names) from {@code labels}. */
    TargetBlock fit(List<Object> labels);

    /** Number of model outputs this target needs (classes, or regression values). */
    int outputs();

    /** The class names (categories) or value names (regression), in output order. */
    List<String> vocab();

    /**
     * Encodes one label: a category index for {@link CategoryBlock}, otherwise {@link #outputs()} floats
     * (multi-hot or values) in {@code floats}.
     *
     * @return the category index, or -1 for targets encoded as floats
     */
    long encode(Object label, float[] floats);

    /** True when targets are a class index per item (a long tensor) rather than floats per item. */
    default boolean isIndex() {
        return false;
    }

    /** A caption for a label as a person reads it, e.g. {@code grizzly} or {@code cat;dog} or {@code 3.20}. */
    String caption(Object label);

    /** The loss that fits this target by default: {@code cross_entropy}, {@code bce_with_logits} or {@code mse}. */
    String defaultLoss();
}
