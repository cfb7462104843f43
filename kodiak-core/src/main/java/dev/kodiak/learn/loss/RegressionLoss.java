package dev.kodiak.learn.loss;

import dev.kodiak.engine.Engine;
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
    public Tensor mean(Tensor output, Tensor target) {
        return elementwise(output, target).mean();
    }

    @Override
    public Tensor perItem(Tensor output, Tensor target) {
        return LossInputs.perItemMean(elementwise(output, target));
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
    public Tensor activation(Tensor output) {
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
