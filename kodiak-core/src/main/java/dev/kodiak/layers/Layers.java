package dev.kodiak.layers;

import dev.kodiak.engine.Engine;
import dev.kodiak.tensor.Tensor;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The built-in layers, for building heads (fastai's {@code layers}): each is a {@link Layer} on Kodiak tensors whose
 * parameters train, save and load with the model. A head is usually one {@link #sequential} of them:
 * <pre>{@code
 * Layer head = Layers.sequential(Layers.avgPool(), Layers.dropout(0.2), Layers.linear(bodyFeatures, outputs));
 * }</pre>
 */
public final class Layers {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private Layers() {
    }

    /** {@code x·Wᵀ + b}: {@code [N, in]} → {@code [N, out]}, initialised as PyTorch does. */
    public static Layer linear(long in, long out) {
        return new Linear(in, out, true);
    }

    /** {@link #linear(long, long)}, with or without the bias (fastai's head leaves it out after a BatchNorm). */
    public static Layer linear(long in, long out, boolean bias) {
        return new Linear(in, out, bias);
    }

    /** BatchNorm over {@code features} of {@code [N, features]} (PyTorch's BatchNorm1d defaults). */
    public static Layer batchNorm1d(long features) {
        return new BatchNorm1d(features);
    }

    /** Dropout with probability {@code p} while training; the identity in evaluation. */
    public static Layer dropout(double p) {
        return new Dropout(p);
    }

    /** {@code max(x, 0)}. */
    public static Layer relu() {
        return new Lambda(Tensor::relu);
    }

    /** Global average pooling: feature map {@code [N, C, H, W]} → {@code [N, C]}. */
    public static Layer avgPool() {
        return new Pool(false);
    }

    /** fastai's concat pooling: {@code [N, C, H, W]} → {@code [N, 2C]} (global max, then global average). */
    public static Layer concatPool() {
        return new Pool(true);
    }

    /** A layer without parameters computing {@code f} (fastai's {@code Lambda}). */
    public static Layer lambda(UnaryOperator<Tensor> f) {
        return new Lambda(f);
    }

    /** The layers one after the other; their parameters are named by position ({@code 0.weight}, {@code 2.bias}). */
    public static Layer sequential(Layer... layers) {
        return new Sequential(List.of(layers));
    }
}
