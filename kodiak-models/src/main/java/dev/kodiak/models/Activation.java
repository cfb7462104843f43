package dev.kodiak.models;

import dev.kodiak.engine.Engine;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: the element-wise activations torchvision's mobile-style networks use, applied in place (as torchvision's
 * {@code inplace=True} layers), so the tensor's handle stays the one to keep or release.
 */
final class Activation {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    // a class, not an enum: an enum's constants would be built before the static block above could run first

    /** No activation (the projection convolution of an inverted residual block). */
    static final Activation NONE = new Activation("none");
    /** {@code max(x, 0)}. */
    static final Activation RELU = new Activation("relu");
    /** SiLU (swish), {@code x·sigmoid(x)}: EfficientNet. */
    static final Activation SILU = new Activation("silu");
    /** {@code x·relu6(x + 3)/6}: MobileNetV3. */
    static final Activation HARDSWISH = new Activation("hardswish");
    /** The logistic function: the gate of EfficientNet's and RegNet's squeeze-and-excitation. */
    static final Activation SIGMOID = new Activation("sigmoid");
    /** {@code relu6(x + 3)/6}: the gate of MobileNetV3's squeeze-and-excitation. */
    static final Activation HARDSIGMOID = new Activation("hardsigmoid");

    private final String name;

    private Activation(String name) {
        this.name = name;
    }

    /** Applies this activation to {@code x} in place; {@code x} stays the handle to the result. */
    void applyInPlace(Tensor x) {
        // the static in-place functions return a second Java object on x's native handle: it owns nothing, drop it
        switch (name) {
            case "none" -> { }
            case "relu" -> x.relu_();
            case "silu" -> torch.silu_(x);
            case "hardswish" -> torch.hardswish_(x);
            case "sigmoid" -> x.sigmoid_();
            case "hardsigmoid" -> torch.hardsigmoid_(x);
            default -> throw new IllegalStateException("unknown activation " + name);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
