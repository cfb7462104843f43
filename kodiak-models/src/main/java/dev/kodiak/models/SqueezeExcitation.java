package dev.kodiak.models;

import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.Tensors;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: torchvision's squeeze-and-excitation (Hu et al., 2018) with its names: the feature map's channel means go
 * through {@code fc1} (a 1x1 convolution down to {@code squeeze} channels), an activation, {@code fc2} (back up) and a
 * gate in 0..1 that scales each channel. EfficientNet uses SiLU and sigmoid, MobileNetV3 ReLU and hard sigmoid,
 * RegNetY ReLU and sigmoid.
 */
final class SqueezeExcitation extends NativeModule {
    private final Conv2dImpl fc1;
    private final Conv2dImpl fc2;
    private final Activation activation;
    private final Activation gate;

    SqueezeExcitation(long channels, long squeeze, Activation activation, Activation gate) {
        this.fc1 = add("fc1", pointwise(channels, squeeze));
        this.fc2 = add("fc2", pointwise(squeeze, channels));
        this.activation = activation;
        this.gate = gate;
    }

    /** {@code x} scaled channel by channel (a new tensor; {@code x} is left as it is). */
    Tensor forward(Tensor x) {
        Tensor pooled = torch.adaptive_avg_pool2d(x, 1, 1);
        Tensor s = fc1.forward(pooled);
        Tensors.release(pooled);
        activation.applyInPlace(s);
        Tensor scale = fc2.forward(s);
        Tensors.release(s);
        gate.applyInPlace(scale);
        Tensor y = x.mul(scale);
        Tensors.release(scale);
        return y;
    }

    private static Conv2dImpl pointwise(long in, long out) {
        Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(1L, 1L));
        o.bias().put(true);
        return new Conv2dImpl(o);
    }
}
