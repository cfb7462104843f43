package dev.kodiak.learn.loss;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Mean squared error ({@code mse}) or mean absolute error ({@code l1}) between outputs and target values. */
final class RegressionLoss implements Loss {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final boolean squared;

    RegressionLoss(boolean squared) {
        this.squared = squared;
    }

    @Override
    public String name() {
        return squared ? "mse" : "l1";
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
        Tensor x = LossInputs.asFloat(output);
        try {
            return squared ? torch.mse_loss(x, y, LossInputs.NO_REDUCTION) : torch.l1_loss(x, y, LossInputs.NO_REDUCTION);
        } catch (RuntimeException e) {
            throw LossInputs.failed(name(), e);
        }
    }

    @Override
    public dev.kodiak.tensor.Tensor activation(dev.kodiak.tensor.Tensor output) {
        return output;
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
