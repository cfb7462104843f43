package dev.kodiak.data;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;

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

    Batch(org.bytedeco.pytorch.Tensor x, org.bytedeco.pytorch.Tensor y, List<Integer> indices, List<Path> items) {
        this.x = NativeTensors.wrap(x);
        this.y = NativeTensors.wrap(y);
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

    /** The input tensor (float32 [B, C, H, W], transformed). */
    public Tensor x() {
        return x;
    }

    /** The target tensor (int64 [B] class indices, or float32 [B, n]). */
    public Tensor y() {
        return y;
    }
}
