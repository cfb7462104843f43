package dev.kodiak.vision.transforms;

import dev.kodiak.engine.Engine;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: how {@link Augment} splits a batch into runs of consecutive items that it works on in place, one run at
 * a time. A temporary the size of a whole batch (38 MB at 224 px, batch 64) lies above glibc's mmap threshold, so
 * it is mapped afresh and page-faulted in on every batch (a sixth of the loader's time, measured); a few megabytes
 * per run come from memory the allocator has already touched and reuses.
 */
final class ItemChunks {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** Bytes of one run's input; its temporaries (grid, resampled copy) are of the same order. */
    static final long BYTES = 4L << 20;

    private ItemChunks() {
    }

    /** Items per run for the batch {@code x} [B, ...]: at least one, at most the whole batch. */
    static int itemsPer(Tensor x) {
        long batch = x.size(0);
        long itemBytes = Math.max(1, x.numel() / Math.max(1, batch) * x.element_size());
        return (int) Math.max(1, Math.min(batch, BYTES / itemBytes));
    }

    static boolean any(boolean[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            if (values[i]) {
                return true;
            }
        }
        return false;
    }

    static boolean all(boolean[] values) {
        for (boolean v : values) {
            if (!v) {
                return false;
            }
        }
        return true;
    }
}
