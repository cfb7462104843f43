package dev.kodiak.engine;

import dev.kodiak.KodiakException;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.DropoutOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;

/**
 * Builds libtorch's standard layers with PyTorch's defaults, hiding the option plumbing.
 *
 * <p>libtorch's options hold sizes as 2-element {@code LongPointer}s; {@code stride().put(2, 2)} reads as
 * "put value 2 at index 2" and silently writes past the array, so stride stays 1 and a neighbouring field is
 * corrupted. Every option here is set with a whole array.
 *
 * <p>Modules such as BatchNorm, Dropout and pooling are owned by Java's GC: register each one through
 * {@link NativeModule#add} (or keep it otherwise) for the network's lifetime.
 *
 * <p>A test helper (the tiny test networks of every module build on it, through the core test-jar); Kodiak's own
 * networks build their layers where they are defined ({@code ResNet}, {@code ResidualBlock}, {@code Head}).
 */
public final class Layers {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private Layers() {
    }

    /** A square 2-D convolution, {@code in -> out} channels, dilation 1, groups 1, zero padding. */
    public static Conv2dImpl conv2d(long in, long out, long kernel, long stride, long padding, boolean bias) {
        positive("conv2d in channels", in);
        positive("conv2d out channels", out);
        positive("conv2d kernel", kernel);
        positive("conv2d stride", stride);
        notNegative("conv2d padding", padding);
        Engine.init();
        Conv2dOptions o = new Conv2dOptions(in, out, pair(kernel));
        o.stride().put(new long[] {stride, stride});
        o.padding().put(pair(padding));
        o.bias().put(bias);
        return new Conv2dImpl(o);
    }

    /** Batch normalization over {@code channels} of a [N, C, H, W] input (eps 1e-5, momentum 0.1, affine). */
    public static BatchNorm2dImpl batchNorm2d(long channels) {
        positive("batchNorm2d channels", channels);
        Engine.init();
        return new BatchNorm2dImpl(new BatchNormOptions(channels));
    }

    /** Batch normalization over {@code features} of a [N, C] input (eps 1e-5, momentum 0.1, affine). */
    public static BatchNorm1dImpl batchNorm1d(long features) {
        positive("batchNorm1d features", features);
        Engine.init();
        return new BatchNorm1dImpl(new BatchNormOptions(features));
    }

    /** A fully connected layer {@code in -> out} features. */
    public static LinearImpl linear(long in, long out, boolean bias) {
        positive("linear in features", in);
        positive("linear out features", out);
        Engine.init();
        LinearOptions o = new LinearOptions(in, out);
        o.bias().put(bias);
        return new LinearImpl(o);
    }

    /** Square 2-D max pooling. */
    public static MaxPool2dImpl maxPool2d(long kernel, long stride, long padding) {
        positive("maxPool2d kernel", kernel);
        positive("maxPool2d stride", stride);
        notNegative("maxPool2d padding", padding);
        if (padding * 2 > kernel) {
            throw new KodiakException("maxPool2d padding must be at most half the kernel, got padding " + padding
                    + " for kernel " + kernel);
        }
        Engine.init();
        MaxPool2dOptions o = new MaxPool2dOptions(pair(kernel));
        o.stride().put(new long[] {stride, stride});
        o.padding().put(new long[] {padding, padding});
        return new MaxPool2dImpl(o);
    }

    /** Zeroes each element with probability {@code p} in training mode; identity in eval mode. */
    public static DropoutImpl dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new KodiakException("dropout probability must be in [0, 1), got " + p);
        }
        Engine.init();
        return new DropoutImpl(new DropoutOptions(p));
    }

    private static LongPointer pair(long v) {
        return new LongPointer(v, v);
    }

    private static void positive(String what, long v) {
        if (v < 1) {
            throw new KodiakException(what + " must be at least 1, got " + v);
        }
    }

    private static void notNegative(String what, long v) {
        if (v < 0) {
            throw new KodiakException(what + " must be 0 or more, got " + v);
        }
    }
}
