package dev.kodiak.models;

import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: the mobile inverted bottleneck of EfficientNet ({@code MBConv}) and MobileNetV3 with torchvision's names
 * {@code block.0, block.1, ...}: a 1x1 expansion (absent when it would not change the channels), a depthwise
 * {@code kernel}x{@code kernel} convolution with the stride, an optional squeeze-and-excitation, and a 1x1 projection
 * without activation. Where input and output shapes agree the input is added back, after stochastic depth when
 * {@code dropProbability > 0} (EfficientNet): in training each image's branch is dropped with that probability and the
 * kept ones scaled by {@code 1/(1 - p)} (torchvision's "row" mode); in eval it is the identity.
 */
final class InvertedResidual extends NativeModule {
    private final List<ConvNormActivation> convs = new ArrayList<>(); // in order; the SE sits before the last one
    private final SqueezeExcitation se;
    private final boolean residual;
    private final double dropProbability;

    /** {@code se} (or null) is built by the family, which knows its squeeze width and activations. */
    InvertedResidual(long in, long expanded, long out, long kernel, long stride, Activation activation,
            SqueezeExcitation se, double dropProbability, BatchNormSettings bn) {
        ModuleListImpl block = add("block", new ModuleListImpl());
        if (expanded != in) {
            convs.add(append(block, new ConvNormActivation(in, expanded, 1, 1, 1, bn, activation)));
        }
        convs.add(append(block, new ConvNormActivation(expanded, expanded, kernel, stride, expanded, bn,
                activation)));
        this.se = se == null ? null : append(block, se);
        convs.add(append(block, new ConvNormActivation(expanded, out, 1, 1, 1, bn, Activation.NONE)));
        this.residual = stride == 1 && in == out;
        this.dropProbability = dropProbability;
    }

    /** The block's output; intermediates are released on the way. */
    Tensor forward(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < convs.size(); i++) {
            if (i == convs.size() - 1 && se != null) {
                Tensor scaled = se.forward(y);
                release(y, x);
                y = scaled;
            }
            Tensor next = convs.get(i).forward(y);
            release(y, x);
            y = next;
        }
        if (residual) {
            if (is_training() && dropProbability > 0) {
                double survival = 1 - dropProbability;
                Tensor keep = y.new_empty(y.size(0), 1, 1, 1).bernoulli_(survival, new GeneratorOptional());
                keep.div_(new Scalar(survival));
                y.mul_(keep);
                Tensors.release(keep);
            }
            y.add_(x);
        }
        return y;
    }

    /** Inference only: every convolution with its BatchNorm folded in. */
    void foldBatchNorm() {
        convs.forEach(ConvNormActivation::foldBatchNorm);
    }

    private static void release(Tensor t, Tensor input) {
        if (t != input) {
            Tensors.release(t);
        }
    }
}
