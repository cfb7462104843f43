package dev.kodiak.models;

import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.Tensors;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: RegNet's residual bottleneck block ({@code ResBottleneckBlock}) with torchvision's names: {@code f.a} (1x1
 * convolution, ReLU), {@code f.b} (3x3 grouped convolution of {@code groupWidth} channels per group, with the stride,
 * ReLU), {@code f.se} (squeeze-and-excitation, ReLU and sigmoid, squeezing to {@code squeeze} channels; RegNetY only),
 * {@code f.c} (1x1, no activation); {@code proj} (1x1 with the stride, no activation) carries the shortcut where the
 * shape changes; ReLU after the sum. RegNetY-800MF's bottleneck ratio is 1: the block works at its output width.
 */
final class RegNetBlock extends NativeModule {
    private final ConvNormActivation proj;
    private final ConvNormActivation a;
    private final ConvNormActivation b;
    private final SqueezeExcitation se;
    private final ConvNormActivation c;

    RegNetBlock(long in, long out, long stride, long groupWidth, long squeeze, BatchNormSettings bn) {
        proj = in != out || stride != 1
                ? add("proj", new ConvNormActivation(in, out, 1, stride, 1, bn, Activation.NONE)) : null;
        Module f = add("f", new Module());
        a = keep(f.register_module("a", new ConvNormActivation(in, out, 1, 1, 1, bn, Activation.RELU)));
        b = keep(f.register_module("b", new ConvNormActivation(out, out, 3, stride, out / groupWidth, bn,
                Activation.RELU)));
        se = squeeze > 0 ? keep(f.register_module("se", new SqueezeExcitation(out, squeeze, Activation.RELU,
                Activation.SIGMOID))) : null;
        c = keep(f.register_module("c", new ConvNormActivation(out, out, 1, 1, 1, bn, Activation.NONE)));
    }

    /** The block's output; intermediates are released on the way. */
    Tensor forward(Tensor x) {
        Tensor y1 = a.forward(x);
        Tensor y2 = b.forward(y1);
        Tensors.release(y1);
        if (se != null) {
            Tensor scaled = se.forward(y2);
            Tensors.release(y2);
            y2 = scaled;
        }
        Tensor y = c.forward(y2);
        Tensors.release(y2);
        if (proj != null) {
            Tensor shortcut = proj.forward(x);
            y.add_(shortcut);
            Tensors.release(shortcut);
        } else {
            y.add_(x);
        }
        y.relu_();
        return y;
    }

    /** Inference only: every convolution with its BatchNorm folded in. */
    void foldBatchNorm() {
        if (proj != null) {
            proj.foldBatchNorm();
        }
        a.foldBatchNorm();
        b.foldBatchNorm();
        c.foldBatchNorm();
    }
}
