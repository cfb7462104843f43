package dev.kodiak.data;

import dev.kodiak.engine.Engine;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * One batch: inputs, targets and which items they came from. Its tensors belong to the step scope that was
 * open when the batch was taken from the loader.
 */
public final class Batch {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Tensor x;
    private final Tensor y;
    private final List<Integer> indices;
    private final List<Path> items;

    Batch(Tensor x, Tensor y, List<Integer> indices, List<Path> items) {
        this.x = x;
        this.y = y;
        this.indices = List.copyOf(indices);
        this.items = List.copyOf(items);
    }

    /** Number of items in the batch. */
    public int size() {
        return indices.size();
    }

    /** The items' positions in their loader's item list. */
    public List<Integer> indices() {
        return indices;
    }

    /** The items' files. */
    public List<Path> items() {
        return items;
    }

    /** The shape of the input tensor, e.g. {@code [64, 3, 128, 128]}. */
    public long[] inputShape() {
        return x.shape();
    }

    /** Internal: the input tensor (float32 [B, C, H, W], transformed). */
    public Tensor x() {
        return x;
    }

    /** Internal: the target tensor (int64 [B] class indices, or float32 [B, n]). */
    public Tensor y() {
        return y;
    }
}
