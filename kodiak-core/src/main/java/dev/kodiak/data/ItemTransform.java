package dev.kodiak.data;

/**
 * A transform of one decoded item on the CPU, run in the loader's worker threads (e.g. resize, random crop).
 *
 * @param <X> the decoded item type of the input block (for images: {@code dev.kodiak.vision.RgbImage})
 */
public interface ItemTransform<X> {
    /**
     * Returns the transformed item as a new value (or {@code item} itself when nothing changes); it must not
     * modify {@code item}, which the loaders may keep in their cache of decoded items and hand out again.
     *
     * @param training true for the training set (random choices allowed), false for validation/test/inference,
     *                 which must be deterministic
     */
    X apply(X item, Rng rng, boolean training);

    /** What the transform does, for summaries and the model file, e.g. {@code Resize(128, crop)}. */
    default String describe() {
        return getClass().getSimpleName();
    }
}
