package dev.kodiak.learn.loss;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Binary cross-entropy on logits, one independent yes/no per label (multi-label classification): per element
 * {@code −[y·log σ(x) + (1 − y)·log(1 − σ(x))]}, computed stably from the logits.
 */
final class BceWithLogitsLoss implements Loss {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    @Override
    public String name() {
        return "bce_with_logits";
    }

    @Override
    public dev.kodiak.tensor.Tensor mean(dev.kodiak.tensor.Tensor output, dev.kodiak.tensor.Tensor target) {
        return NativeTensors.wrap(elementwise(NativeTensors.unwrap(output), NativeTensors.unwrap(target)).mean());
    }

    @Override
    public dev.kodiak.tensor.Tensor perItem(dev.kodiak.tensor.Tensor output, dev.kodiak.tensor.Tensor target) {
        return NativeTensors.wrap(LossInputs.perItemMean(elementwise(NativeTensors.unwrap(output),
                NativeTensors.unwrap(target))));
    }

    private Tensor elementwise(Tensor output, Tensor target) {
        Tensor y = LossInputs.floatTargets(name(), output, target);
        try {
            return torch.binary_cross_entropy_with_logits(LossInputs.asFloat(output), y, new TensorOptional(),
                    new TensorOptional(), LossInputs.NO_REDUCTION);
        } catch (RuntimeException e) {
            throw LossInputs.failed(name(), e);
        }
    }

    @Override
    public dev.kodiak.tensor.Tensor activation(dev.kodiak.tensor.Tensor output) {
        return NativeTensors.wrap(torch.sigmoid(LossInputs.asFloat(NativeTensors.unwrap(output))));
    }

    @Override
    public boolean classTargets() {
        return false;
    }

    @Override
    public String toString() {
        return name();
    }
}
