package dev.kodiak.layers;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.tensor.Tensor;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;

/** {@code y = x·Wᵀ + b} for {@code x [N, in]}: parameters {@code weight [out, in]} and (optionally) {@code bias}. */
final class Linear extends Layer {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final org.bytedeco.pytorch.Tensor weight;
    private final org.bytedeco.pytorch.Tensor bias; // null without bias

    Linear(long in, long out, boolean withBias) {
        if (in < 1 || out < 1) {
            throw new KodiakException("a linear layer needs at least one input and one output, got " + in + " → " + out);
        }
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            LinearOptions o = new LinearOptions(in, out);
            o.bias().put(withBias);
            LinearImpl init = new LinearImpl(o); // libtorch's (and PyTorch's) default initialisation
            // our own handles on the registered tensors: they share the parameter, and outlive the scope
            weight = scope.keep(new org.bytedeco.pytorch.Tensor(
                    register_parameter("weight", init.weight().detach().clone())));
            bias = withBias ? scope.keep(new org.bytedeco.pytorch.Tensor(
                    register_parameter("bias", init.bias().detach().clone()))) : null;
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        org.bytedeco.pytorch.Tensor in = NativeTensors.unwrap(x);
        return NativeTensors.wrap(bias == null ? torch.linear(in, weight) : torch.linear(in, weight, bias));
    }

    @Override
    public void release() {
        weight.releaseReference();
        if (bias != null) {
            bias.releaseReference();
        }
        super.release();
    }
}
