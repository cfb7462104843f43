package dev.kodiak.learn.callbacks;

import dev.kodiak.engine.Layers;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.learn.TrainableModel;
import dev.kodiak.tensor.Tensor;
import java.util.List;
import org.bytedeco.pytorch.LinearImpl;

/**
 * One linear layer over the flattened pixels: no BatchNorm and no dropout, so a batch's gradient is the mean of its
 * items' gradients and gradient accumulation can match a larger batch exactly.
 */
final class TinyLinear extends NativeModule implements TrainableModel {
    final LinearImpl fc;

    TinyLinear(int inputs, int classes) {
        fc = add("fc", Layers.linear(inputs, classes, true));
    }

    @Override
    public Tensor forward(Tensor x) {
        return NativeTensors.wrap(fc.forward(NativeTensors.unwrap(x).flatten(1, -1)));
    }

    @Override
    public List<List<Tensor>> parameterGroups() {
        return List.of(List.of(NativeTensors.wrap(fc.weight()), NativeTensors.wrap(fc.bias())));
    }

    @Override
    public NativeModule module() {
        return this;
    }

    @Override
    public String architectureName() {
        return "tiny-linear";
    }
}
