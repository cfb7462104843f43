package dev.kodiak.learn;

import dev.kodiak.engine.Layers;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.NativeTensors;
import java.util.List;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Two convolutions and a linear head, no BatchNorm: data-parallel training must match one process exactly. */
final class NoNormNet extends NativeModule implements TrainableModel {
    final Conv2dImpl conv1;
    final Conv2dImpl conv2;
    final LinearImpl head;

    NoNormNet(int classes) {
        conv1 = add("conv1", Layers.conv2d(3, 8, 3, 1, 1, true));
        conv2 = add("conv2", Layers.conv2d(8, 8, 3, 2, 1, true));
        head = add("head", Layers.linear(8, classes, true));
    }

    @Override
    public dev.kodiak.tensor.Tensor forward(dev.kodiak.tensor.Tensor x) {
        Tensor h = torch.relu(conv1.forward(NativeTensors.unwrap(x)));
        h = torch.relu(conv2.forward(h)).mean(new long[] {2, 3});
        return NativeTensors.wrap(head.forward(h));
    }

    @Override
    public List<List<dev.kodiak.tensor.Tensor>> parameterGroups() {
        return NativeTensors.wrapGroups(List.of(List.of(conv1.weight(), conv1.bias()),
                List.of(conv2.weight(), conv2.bias()), List.of(head.weight(), head.bias())));
    }

    @Override
    public NativeModule module() {
        return this;
    }

    @Override
    public String architectureName() {
        return "no-norm";
    }
}
