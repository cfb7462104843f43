package dev.kodiak.engine.distributed;

import java.util.ArrayList;
import java.util.List;

/**
 * Groups tensors, in order, into flat buckets of at most {@code capBytes} (a tensor larger than the cap gets a bucket
 * of its own) so that one collective moves many small tensors at once, as PyTorch's DDP does with 25 MB buckets.
 * Tensors of different element types never share a bucket (a bucket is one flat tensor of one type). Every rank
 * computes the same layout from the same shapes, which is what makes the collectives line up.
 */
final class Buckets {
    private Buckets() {
    }

    /**
     * The buckets as lists of indices into the input.
     *
     * @param bytes size in bytes of each tensor
     * @param types an element-type key of each tensor (same key = may share a bucket)
     */
    static List<List<Integer>> layout(long[] bytes, Object[] types, long capBytes) {
        return layout(bytes, types, capBytes, capBytes);
    }

    /**
     * As {@link #layout(long[], Object[], long)} with a different cap for the first bucket: DDP keeps the first
     * bucket small (1 MB) so that communication starts as soon as the last layers' gradients are ready.
     */
    static List<List<Integer>> layout(long[] bytes, Object[] types, long firstCapBytes, long capBytes) {
        if (capBytes < 1 || firstCapBytes < 1) {
            throw new IllegalArgumentException("bucket cap must be positive, got " + capBytes);
        }
        List<List<Integer>> buckets = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long filled = 0;
        Object type = null;
        for (int i = 0; i < bytes.length; i++) {
            long cap = buckets.isEmpty() ? firstCapBytes : capBytes;
            boolean full = filled > 0 && filled + bytes[i] > cap;
            boolean otherType = !current.isEmpty() && !types[i].equals(type);
            if (full || otherType) {
                buckets.add(current);
                current = new ArrayList<>();
                filled = 0;
            }
            current.add(i);
            filled += bytes[i];
            type = types[i];
        }
        if (!current.isEmpty()) {
            buckets.add(current);
        }
        return buckets;
    }
}
