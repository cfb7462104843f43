package dev.kodiak.data;

import java.nio.file.Path;
import java.util.List;

/** Decides which items are used for training, validation and (optionally) a held-out test set. */
public interface Splitter {
    /**
     * @param items  the items, in the order {@code DataBlock} found them
     * @param labels their labels (same order), for splitters that stratify
     */
    Split split(List<Path> items, List<Object> labels);

    /** This splitter, also holding out {@code testPct} of the items as a test set that training never sees. */
    Splitter withTest(double testPct);

    /** What the split does, for summaries and the model file, e.g. {@code random 20% seed 42}. */
    String describe();

    /**
     * The splitter's kind and values, for the model file. The model file also lists the validation files, so any
     * split can be re-created; a splitter that is not values (a function) records its description.
     */
    default SplitterSpec spec() {
        return new SplitterSpec.Custom(describe(), 0);
    }
}
