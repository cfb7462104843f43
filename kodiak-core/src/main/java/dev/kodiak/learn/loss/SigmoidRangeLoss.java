package dev.kodiak.learn.loss;

import dev.kodiak.learn.SigmoidRange;
import dev.kodiak.tensor.Tensor;

/**
 * fastai's regression with {@code y_range}: the linear outputs go through {@code sigmoid_range} (squashed into
 * {@code [lo, hi]}, per output) before the inner loss (MSE, as {@code MSELossFlat}), so training optimises the values the
 * model file's task then reports.
 */
final class SigmoidRangeLoss implements Loss {
    private final Loss inner;
    private final SigmoidRange range;

    SigmoidRangeLoss(Loss inner, SigmoidRange range) {
        this.inner = inner;
        this.range = range;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Tensor mean(Tensor output, Tensor target) {
        return inner.mean(activation(output), target);
    }

    @Override
    public Tensor perItem(Tensor output, Tensor target) {
        return inner.perItem(activation(output), target);
    }

    @Override
    public Tensor activation(Tensor output) {
        return range.apply(output);
    }

    @Override
    public boolean classTargets() {
        return false;
    }

    @Override
    public String toString() {
        return name() + " after sigmoid_range";
    }
}
