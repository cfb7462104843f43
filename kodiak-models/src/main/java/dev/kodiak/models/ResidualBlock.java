package dev.kodiak.models;

import dev.kodiak.engine.Convolution;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.Tensors;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;

/**
 * A ResNet block with torchvision's names: {@code conv1, bn1, conv2, bn2[, conv3, bn3]} and, where the shape
 * changes, {@code downsample.0} (1x1 convolution) and {@code downsample.1} (BatchNorm). Basic blocks (ResNet-18/34)
 * have two 3x3 convolutions; bottlenecks (ResNet-50) squeeze with 1x1, convolve 3x3 (with the stride, as in
 * torchvision's "v1.5"), and expand 4x with 1x1.
 */
final class ResidualBlock extends NativeModule {
    static final int BOTTLENECK_EXPANSION = 4;

    private final Convolution[] convs;
    private final BatchNorm2dImpl[] norms;
    private final Convolution downConv;
    private final BatchNorm2dImpl downNorm;
    private Convolution[] folded;      // conv+BN as one convolution each, after foldBatchNorm()
    private Convolution foldedDown;

    ResidualBlock(long in, long planes, long stride, boolean bottleneck) {
        long out = bottleneck ? planes * BOTTLENECK_EXPANSION : planes;
        long[] outs;
        Conv2dImpl[] modules;
        if (bottleneck) {
            modules = new Conv2dImpl[] {conv(in, planes, 1, 1, 0), conv(planes, planes, 3, stride, 1),
                    conv(planes, out, 1, 1, 0)};
            outs = new long[] {planes, planes, out};
        } else {
            modules = new Conv2dImpl[] {conv(in, planes, 3, stride, 1), conv(planes, planes, 3, 1, 1)};
            outs = new long[] {planes, planes};
        }
        convs = new Convolution[modules.length];
        norms = new BatchNorm2dImpl[modules.length];
        for (int i = 0; i < modules.length; i++) {
            convs[i] = new Convolution(add("conv" + (i + 1), modules[i]));
            norms[i] = add("bn" + (i + 1), batchNorm(outs[i]));
        }
        if (stride != 1 || in != out) {
            ModuleListImpl downsample = add("downsample", new ModuleListImpl());
            downConv = new Convolution(append(downsample, conv(in, out, 1, stride, 0)));
            downNorm = append(downsample, batchNorm(out));
        } else {
            downConv = null;
            downNorm = null;
        }
    }

    /** Inference only: from now on forward uses each conv with its BatchNorm folded in (eval-mode statistics). */
    void foldBatchNorm() {
        Convolution[] f = new Convolution[convs.length];
        for (int i = 0; i < convs.length; i++) {
            f[i] = new Convolution(keep(BatchNormFolding.conv(convs[i].module(), norms[i])));
        }
        foldedDown = downConv == null ? null
                : new Convolution(keep(BatchNormFolding.conv(downConv.module(), downNorm)));
        folded = f;
    }

    /** The block's output; every intermediate handle is released on the way (see {@link Tensors#release}). */
    Tensor forward(Tensor x) {
        Convolution[] c = folded != null ? folded : convs;
        Tensor y = x;
        for (int i = 0; i < c.length; i++) {
            Tensor next = c[i].forward(y);
            if (y != x) {
                Tensors.release(y);
            }
            if (folded == null) {
                Tensor normed = norms[i].forward(next);
                Tensors.release(next);
                next = normed;
            }
            y = next;
            if (i < c.length - 1) {
                y.relu_(); // in place: returns y itself, so y stays the handle to keep or release
            }
        }
        Tensor identity;
        if (folded != null) {
            identity = foldedDown == null ? x : foldedDown.forward(x);
        } else if (downConv == null) {
            identity = x;
        } else {
            Tensor d = downConv.forward(x);
            identity = downNorm.forward(d);
            Tensors.release(d);
        }
        y.add_(identity); // in place: y's handle is the result (the returned reference aliases it)
        if (identity != x) {
            Tensors.release(identity);
        }
        y.relu_();
        return y;
    }

    static Conv2dImpl conv(long in, long out, long kernel, long stride, long padding) {
        Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
        o.stride().put(new long[] {stride, stride}); // put(a, b) would mean put(index a, value b)
        o.padding().put(new LongPointer(padding, padding));
        o.bias().put(false);
        return new Conv2dImpl(o);
    }

    static BatchNorm2dImpl batchNorm(long channels) {
        return new BatchNorm2dImpl(new BatchNormOptions(channels)); // eps 1e-5, momentum 0.1, as in PyTorch
    }
}
