package dev.kodiak.testing;

import dev.kodiak.engine.Layers;
import dev.kodiak.engine.NativeModule;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A small all-convolution classifier for tests: conv(3 -> 8) + relu, conv(8 -> 16, stride 2) [+ batch norm] + relu,
 * then a head convolution whose kernel covers the whole (side / 2)^2 map, giving [N, classes] logits. Takes
 * [N, 3, side, side] float input and memorises a small random batch in a few SGD steps, so training tests run in
 * well under a second on 16 px images.
 *
 * <p>The head is a convolution rather than a linear layer on purpose: under CPU autocast libtorch caches the bf16
 * copy of every convolution weight but not of a linear weight, so with all parameters in convolutions a stale
 * autocast cache (ENGINE.md #6) freezes the whole forward pass and the test for it is sharp.
 */
public final class TinyConvNet extends NativeModule {
    private final Conv2dImpl conv1;
    private final Conv2dImpl conv2;
    private final BatchNorm2dImpl bn;
    private final Conv2dImpl head;

    public TinyConvNet(int classes, int side, boolean batchNorm) {
        if (side < 2 || side % 2 != 0) {
            throw new IllegalArgumentException("side must be even, got " + side);
        }
        conv1 = add("conv1", Layers.conv2d(3, 8, 3, 1, 1, true));
        conv2 = add("conv2", Layers.conv2d(8, 16, 3, 2, 1, !batchNorm));
        bn = batchNorm ? add("bn", Layers.batchNorm2d(16)) : null;
        head = add("head", Layers.conv2d(16, classes, side / 2, 1, 0, true));
    }

    /** Logits [N, classes]. */
    public Tensor forward(Tensor x) {
        Tensor h = torch.relu(conv1.forward(x));
        h = conv2.forward(h);
        if (bn != null) {
            h = bn.forward(h);
        }
        return head.forward(torch.relu(h)).flatten(1, -1);
    }
}
