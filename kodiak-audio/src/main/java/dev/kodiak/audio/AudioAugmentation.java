package dev.kodiak.audio;

import dev.kodiak.data.Rng;
import dev.kodiak.tensor.Tensor;

/**
 * A random change of a whole batch of sounds, on the engine: waveforms [B, T] or spectrograms [B, C, H, W]
 * depending on the augmentation. Every random choice comes from {@code rng}, drawn item by item in batch order, so a
 * batch is the same whatever the number of loader threads. Shaped like core's batch transforms so a thin adapter
 * plugs these into the loaders.
 */
public interface AudioAugmentation {
    /**
     * @param x        the batch; never modified (a new tensor is returned)
     * @param rng      the stream for this batch
     * @param training false for validation, test and inference: the batch comes back unchanged
     */
    Tensor apply(Tensor x, Rng rng, boolean training);

    /** What the augmentation does, for summaries and the model file. */
    default String describe() {
        return getClass().getSimpleName();
    }
}
