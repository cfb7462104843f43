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
 * Internal: EfficientNet's mobile inverted bottleneck with torchvision's names, {@code block.0 ... block.3}: a 1x1
 * expansion (absent when the expand ratio is 1), a depthwise {@code kernel}x{@code kernel} convolution with the stride,
 * squeeze-and-excitation (SiLU, sigmoid; squeezing to a quarter of the block's input channels), and a 1x1
 * projection without activation. Where input and output shapes agree the input is added back, after stochastic depth:
 * in training each image's branch is dropped with probability {@code dropProbability} and the kept ones scaled by
 * {@code 1/(1 - p)} (torchvision's "row" mode); in eval it is the identity.
 */
final class MBConv extends NativeModule {
    private final List<ConvNormActivation> convs = new ArrayList<>(); // in order; the SE sits before the last one
    private final SqueezeExcitation se;
    private final boolean residual;
    private final double dropProbability;

    MBConv(long in, long out, double expandRatio, long kernel, long stride, double dropProbability,
            BatchNormSettings bn) {
        ModuleListImpl block = add("block", new ModuleListImpl());
        long expanded = EfficientNet.divisible(in * expandRatio);
        if (expanded != in) {
            convs.add(append(block, new ConvNormActivation(in, expanded, 1, 1, 1, bn, Activation.SILU)));
        }
        convs.add(append(block, new ConvNormActivation(expanded, expanded, kernel, stride, expanded, bn,
                Activation.SILU)));
        se = append(block, new SqueezeExcitation(expanded, Math.max(1, in / 4), Activation.SILU,
                Activation.SIGMOID));
        convs.add(append(block, new ConvNormActivation(expanded, out, 1, 1, 1, bn, Activation.NONE)));
        this.residual = stride == 1 && in == out;
        this.dropProbability = dropProbability;
    }

    /** The block's output; intermediates are released on the way. */
    Tensor forward(Tensor x) {
        Tensor y = x;
        for (int i = 0; i < convs.size(); i++) {
            if (i == convs.size() - 1) {
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
