package dev.kodiak.models;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.Tensors;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LayerNormOptions;
import org.bytedeco.pytorch.LongVector;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: the LayerNorms of torchvision's ConvNeXt and ViT (over the last dimension, epsilon 1e-6, a weight and a
 * bias per channel), and ConvNeXt's {@code LayerNorm2d}, the same norm over the channels of an NCHW map.
 */
final class LayerNorms {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** torchvision's epsilon for both families (PyTorch's default, 1e-5, would shift the logits). */
    static final double EPS = 1e-6;

    private LayerNorms() {
    }

    /** A LayerNorm over the last dimension of size {@code channels}; weight 1, bias 0 as PyTorch initialises it. */
    static LayerNormImpl over(long channels) {
        LayerNormOptions o = new LayerNormOptions(new LongVector(new long[] {channels})); // LongVector(long) is a size
        o.eps().put(EPS);
        return new LayerNormImpl(o);
    }

    /**
     * {@code LayerNorm2d}: the norm over C of {@code x [N, C, H, W]}, computed channels-last (a free view when
     * {@code x} is laid out channels-last) and handed back as NCHW with channels-last strides.
     */
    static Tensor channels(LayerNormImpl norm, Tensor x) {
        Tensor nhwc = x.permute(0, 2, 3, 1);
        Tensor normed = norm.forward(nhwc);
        Tensors.release(nhwc);
        Tensor y = normed.permute(0, 3, 1, 2);
        Tensors.release(normed);
        return y;
    }
}
