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
}
