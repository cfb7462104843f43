package dev.kodiak.data;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.Tensors;
import dev.kodiak.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An input block and its item transforms, run in validation mode: how a model file's inputs become the batch the
 * model takes, exactly as the validation loader makes it (decode, item transforms, collate, {@link InputBlock#encode}).
 * Batch transforms (normalization) are the caller's: they are recorded apart in the model file.
 *
 * @param block          reads and encodes the items
 * @param itemTransforms applied in order, in validation mode (no random draws)
 * @param <X>            the decoded item type
 */
public record InputPipeline<X>(InputBlock<X> block, List<ItemTransform<X>> itemTransforms) {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    public InputPipeline {
        if (block == null) {
            throw new KodiakException("an input pipeline needs its input block");
        }
        itemTransforms = List.copyOf(itemTransforms);
    }

    /** Decodes a file with the block (errors name the file). */
    public X load(Path file) {
        return block.load(file);
    }

    /** The item as the model sees it before encoding: the item transforms in validation mode. */
    public X prepare(X item) {
        X x = item;
        Rng rng = Rng.of(0, 0, 0); // validation mode draws nothing; transforms still take a stream
        for (ItemTransform<X> t : itemTransforms) {
            x = t.apply(x, rng, false);
        }
        return x;
    }

    /** The encoded batch [B, C, H, W] of decoded items (prepared here); make it inside a step scope. */
    public Tensor batch(List<X> items) {
        List<X> ready = new ArrayList<>(items.size());
        for (X item : items) {
            ready.add(prepare(item));
        }
        return batchPrepared(ready);
    }

    /** The encoded batch [B, C, H, W] of items already {@link #prepare prepared}; make it inside a step scope. */
    public Tensor batchPrepared(List<X> ready) {
        if (ready.isEmpty()) {
            throw new KodiakException("a batch needs at least one item");
        }
        int[] size = block.size(ready.get(0));
        for (X x : ready) {
            int[] s = block.size(x);
            if (s[0] != size[0] || s[1] != size[1]) {
                throw new KodiakException("the recorded item transforms made items of different sizes (" + size[1]
                        + "x" + size[0] + " and " + s[1] + "x" + s[0] + "): the model file's preprocessing is broken");
            }
        }
        int n = ready.size();
        int c = block.channels();
        long count = (long) n * c * size[0] * size[1];
        if (count > Integer.MAX_VALUE - 16) {
            throw new KodiakException("a batch of " + n + " items takes " + count + " values: predict fewer at once");
        }
        org.bytedeco.pytorch.Tensor x;
        if (block.floatSamples()) {
            float[] values = new float[(int) count];
            FloatBuffer dest = FloatBuffer.wrap(values);
            for (X item : ready) {
                block.writeFloats(item, dest);
            }
            x = Tensors.fromFloats(values, n, c, size[0], size[1]);
        } else {
            ByteBuffer pixels = ByteBuffer.allocateDirect((int) count);
            for (X item : ready) {
                block.writeHwc(item, pixels);
            }
            pixels.flip();
            x = Tensors.fromUint8Hwc(pixels, n, size[0], size[1], c);
        }
        return block.encode(NativeTensors.wrap(x), Rng.of(0, "encode", 0, 0), false);
    }
}
