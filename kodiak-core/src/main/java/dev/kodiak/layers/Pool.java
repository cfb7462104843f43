package dev.kodiak.layers;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.tensor.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Global pooling of a feature map {@code [N, C, H, W]} to {@code [N, C]} (average) or {@code [N, 2C]} (fastai's
 * concat pooling: max then average, as its AdaptiveConcatPool2d orders them), flattened.
 */
final class Pool extends Layer {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final boolean concat;

    Pool(boolean concat) {
        this.concat = concat;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) {
            throw new dev.kodiak.KodiakException("pooling takes a feature map [N, C, H, W], got " + x);
        }
        org.bytedeco.pytorch.Tensor in = NativeTensors.unwrap(x);
        org.bytedeco.pytorch.Tensor avg = torch.adaptive_avg_pool2d(in, 1, 1);
        if (!concat) {
            return NativeTensors.wrap(avg.flatten(1, -1));
        }
        org.bytedeco.pytorch.Tensor max = torch.adaptive_max_pool2d(in, 1, 1).get0();
        return NativeTensors.wrap(torch.cat(new TensorVector(max, avg), 1).flatten(1, -1));
    }
}
