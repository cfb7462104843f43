package dev.kodiak.models;

import dev.kodiak.engine.Engine;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: the element-wise activations torchvision's mobile-style networks use, applied in place (as torchvision's
 * {@code inplace=True} layers), so the tensor's handle stays the one to keep or release.
 */
enum Activation {
    /** No activation (the projection convolution of an inverted residual block). */
    NONE,
    /** {@code max(x, 0)}. */
    RELU,
    /** SiLU (swish), {@code x·sigmoid(x)}: EfficientNet. */
    SILU,
    /** {@code x·relu6(x + 3)/6}: MobileNetV3. */
    HARDSWISH,
    /** The logistic function: the gate of EfficientNet's and RegNet's squeeze-and-excitation. */
    SIGMOID,
    /** {@code relu6(x + 3)/6}: the gate of MobileNetV3's squeeze-and-excitation. */
    HARDSIGMOID;

    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** Applies this activation to {@code x} in place; {@code x} stays the handle to the result. */
    void applyInPlace(Tensor x) {
        // the static in-place functions return a second Java object on x's native handle: it owns nothing, drop it
        switch (this) {
            case NONE -> { }
            case RELU -> x.relu_();
            case SILU -> torch.silu_(x);
            case HARDSWISH -> torch.hardswish_(x);
            case SIGMOID -> x.sigmoid_();
            case HARDSIGMOID -> torch.hardsigmoid_(x);
            default -> throw new IllegalStateException("unknown activation " + this);
        }
    }
}
