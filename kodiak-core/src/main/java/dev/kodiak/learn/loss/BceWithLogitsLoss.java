package dev.kodiak.learn.loss;

import dev.kodiak.engine.Engine;
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
    public Tensor mean(Tensor output, Tensor target) {
        return elementwise(output, target).mean();
    }

    @Override
    public Tensor perItem(Tensor output, Tensor target) {
        return LossInputs.perItemMean(elementwise(output, target));
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
    public Tensor activation(Tensor output) {
        return torch.sigmoid(LossInputs.asFloat(output));
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
