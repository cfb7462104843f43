package dev.kodiak.learn;

import dev.kodiak.engine.Layers;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.NativeTensors;
import java.util.List;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** A three-group network for learner tests: conv+bn | conv+bn | linear head (no biases, like fastai's head). */
final class TinyClassifier extends NativeModule implements TrainableModel {
    final Conv2dImpl conv1;
    final BatchNorm2dImpl bn1;
    final Conv2dImpl conv2;
    final BatchNorm2dImpl bn2;
    final LinearImpl head;
    private final DropoutImpl dropout; // null without: draws from libtorch's global generator in training

    TinyClassifier(int classes) {
        this(classes, 0);
    }

    /** With {@code dropout > 0}, a dropout layer before the head (as fastai's heads have). */
    TinyClassifier(int classes, double dropout) {
        conv1 = add("conv1", Layers.conv2d(3, 8, 3, 1, 1, false));
        bn1 = add("bn1", Layers.batchNorm2d(8));
        conv2 = add("conv2", Layers.conv2d(8, 8, 3, 2, 1, false));
        bn2 = add("bn2", Layers.batchNorm2d(8));
        head = add("head", Layers.linear(8, classes, false));
        this.dropout = dropout > 0 ? add("drop", Layers.dropout(dropout)) : null;
    }

    @Override
    public dev.kodiak.tensor.Tensor forward(dev.kodiak.tensor.Tensor x) {
        return NativeTensors.wrap(forward(NativeTensors.unwrap(x)));
    }

    Tensor forward(Tensor x) {
        Tensor h = torch.relu(bn1.forward(conv1.forward(x)));
        h = torch.relu(bn2.forward(conv2.forward(h)));
        h = h.mean(new long[] {2, 3});
        return head.forward(dropout != null ? dropout.forward(h) : h);
    }

    @Override
    public List<List<dev.kodiak.tensor.Tensor>> parameterGroups() {
        return NativeTensors.wrapGroups(List.of(List.of(conv1.weight(), bn1.weight(), bn1.bias()),
                List.of(conv2.weight(), bn2.weight(), bn2.bias()),
                List.of(head.weight())));
    }

    @Override
    public NativeModule module() {
        return this;
    }

    @Override
    public String architectureName() {
        return "tiny";
    }
}
