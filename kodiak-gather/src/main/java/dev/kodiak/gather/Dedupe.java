package dev.kodiak.gather;

/** How {@link Gatherer} removes repeated images across the whole dataset. */
public enum Dedupe {
    /** Byte-identical files only (they get the same content-hash name). */
    EXACT,
    /** Also images that look the same (resized, re-encoded): a perceptual hash within a Hamming distance. */
    NEAR
}
