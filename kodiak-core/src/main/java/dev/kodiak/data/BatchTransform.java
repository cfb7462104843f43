package dev.kodiak.data;

import dev.kodiak.tensor.Tensor;

/**
 * A transform of a whole batch of inputs as a tensor, on the batch's device (so on a GPU when there is one),
 * e.g. flips, rotations, lighting, normalization. Runs on the loaders' worker threads (one libtorch intra-op
 * thread each), several batches at once: an implementation must keep no state between calls.
 *
 * <p>The built-in ones come from factories ({@code Augment.standard()}, {@code Normalize.imagenet()}); a custom one
 * is written with Kodiak's {@link Tensor} operations and added with {@code DataLoaders.addBatchTransform}.
 */
public interface BatchTransform {
    /**
     * @param x        float32 [B, C, H, W], values in 0..1 before normalization; the loader's own batch, which the
     *                 transform may change in place (a batch-sized tensor less per step)
     * @param rng      the stream for this batch; draw per-item parameters from it in item order
     * @param training false for validation/test/inference: train-only augmentations must return x unchanged
     */
    Tensor apply(Tensor x, Rng rng, boolean training);

    /**
     * Undoes the transform where that makes sense for showing a batch to a person (normalization); the
     * default leaves x as it is (augmentations are not undone: they are what the model saw).
     */
    default Tensor decode(Tensor x) {
        return x;
    }

    /** Lower runs first; augmentations (0) run before normalization (100). */
    default int order() {
        return 0;
    }

    default String describe() {
        return getClass().getSimpleName();
    }
}
