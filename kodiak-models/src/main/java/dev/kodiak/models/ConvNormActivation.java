package dev.kodiak.models;

import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.Tensors;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: torchvision's {@code Conv2dNormActivation}, the building block of EfficientNet, MobileNetV3 and RegNet: a
 * bias-free convolution ({@code 0}) with "same" padding for its odd kernel, a BatchNorm ({@code 1}) and an
 * activation (no weights, so no name). Grouped when {@code groups > 1} (depthwise when it equals the channels).
 */
final class ConvNormActivation extends NativeModule {
    private final Conv2dImpl conv;
    private final BatchNorm2dImpl norm;
    private final Activation activation;
    private Conv2dImpl folded; // conv with the BatchNorm folded in, after foldBatchNorm()

    ConvNormActivation(long in, long out, long kernel, long stride, long groups, BatchNormSettings bn,
            Activation activation) {
        Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
        o.stride().put(new long[] {stride, stride}); // put(a, b) would mean put(index a, value b)
        o.padding().put(new LongPointer((kernel - 1) / 2, (kernel - 1) / 2));
        o.groups().put(groups);
        o.bias().put(false);
        this.conv = add("0", new Conv2dImpl(o));
        BatchNormOptions n = new BatchNormOptions(out);
        n.eps().put(bn.eps());
        n.momentum().put(bn.momentum());
        this.norm = add("1", new BatchNorm2dImpl(n));
        this.activation = activation;
    }

    /** The block's output; the intermediate convolution output is released on the way. */
    Tensor forward(Tensor x) {
        Tensor y;
        if (folded != null) {
            y = folded.forward(x);
        } else {
            Tensor c = conv.forward(x);
            y = norm.forward(c);
            Tensors.release(c);
        }
        activation.applyInPlace(y);
        return y;
    }

    /** Inference only: from now on forward uses one convolution with the BatchNorm folded in (eval statistics). */
    void foldBatchNorm() {
        folded = keep(BatchNormFolding.conv(conv, norm));
    }
}
