package dev.kodiak.layers;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.tensor.Tensor;

/**
 * A piece of a network written on Kodiak tensors: a model head, or a part of one. Get the built-in layers from
 * {@link Layers}; write your own by extending this class, registering the layers it holds in the constructor with
 * {@code add("name", layer)} (their parameters become this layer's, named {@code name.weight} and so on, and follow
 * the model's train/eval mode) and computing {@link #forward} with {@link Tensor}'s operations.
 * <pre>{@code
 * final class TwoLayerHead extends Layer {
 *     private final Layer pool = add("pool", Layers.avgPool());
 *     private final Layer fc1 = add("fc1", Layers.linear(512, 128));
 *     private final Layer fc2 = add("fc2", Layers.linear(128, 10));
 *
 *     public Tensor forward(Tensor x) {
 *         return fc2.forward(fc1.forward(pool.forward(x)).relu());
 *     }
 * }
 * }</pre>
 * The engine underneath is libtorch's module system (this class extends the engine's {@code NativeModule}), so the
 * optimizer, the state dict, model files and mixed precision treat a custom layer exactly like a built-in one.
 */
public abstract class Layer extends NativeModule {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** An empty layer; register sublayers in the subclass's constructor (or field initialisers). */
    protected Layer() {
    }

    /** The layer's output for {@code x}; runs inside the caller's step, its tensors freed when the step ends. */
    public abstract Tensor forward(Tensor x);

    /** True while training (dropout drops, BatchNorm updates its statistics), false in evaluation. */
    public boolean training() {
        return is_training();
    }
}
