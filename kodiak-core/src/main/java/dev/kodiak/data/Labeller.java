package dev.kodiak.data;

import java.nio.file.Path;

/** Gives an item its label: a class name, several names, or numbers, depending on the target block. */
@FunctionalInterface
public interface Labeller {
    Object label(Path item);

    /** What this labeller does, for summaries and the model file, e.g. {@code parent folder}. */
    default String describe() {
        return "function";
    }

    /**
     * The labeller as a {@link LabelSpec} string ({@code folder}, {@code regex:...}, {@code csv:FILE:COLUMN}) for
     * the model file, so it can be re-created; null for arbitrary functions.
     */
    default String spec() {
        return null;
    }
}
