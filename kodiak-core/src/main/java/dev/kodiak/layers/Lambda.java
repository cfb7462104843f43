package dev.kodiak.layers;

import dev.kodiak.tensor.Tensor;
import java.util.function.UnaryOperator;

/** A layer without parameters that applies a function (fastai's {@code Lambda}), e.g. {@code x -> x.relu()}. */
final class Lambda extends Layer {
    private final UnaryOperator<Tensor> f;

    Lambda(UnaryOperator<Tensor> f) {
        this.f = f;
    }

    @Override
    public Tensor forward(Tensor x) {
        return f.apply(x);
    }
}
