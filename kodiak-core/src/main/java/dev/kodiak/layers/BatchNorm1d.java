package dev.kodiak.layers;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.tensor.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * BatchNorm over the features of {@code x [N, features]}, as PyTorch's {@code BatchNorm1d} (momentum 0.1, ε 1e-5):
 * parameters {@code weight} (1) and {@code bias} (0), buffers {@code running_mean} and {@code running_var}.
 */
final class BatchNorm1d extends Layer {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final double MOMENTUM = 0.1;
    private static final double EPS = 1e-5;

    private final org.bytedeco.pytorch.Tensor weight;
    private final org.bytedeco.pytorch.Tensor bias;
    private final org.bytedeco.pytorch.Tensor runningMean;
    private final org.bytedeco.pytorch.Tensor runningVar;

    BatchNorm1d(long features) {
        if (features < 1) {
            throw new KodiakException("BatchNorm needs at least one feature, got " + features);
        }
        try (StepScope scope = StepScope.open()) {
            weight = scope.keep(new org.bytedeco.pytorch.Tensor(register_parameter("weight", torch.ones(features))));
            bias = scope.keep(new org.bytedeco.pytorch.Tensor(register_parameter("bias", torch.zeros(features))));
            runningMean = scope.keep(new org.bytedeco.pytorch.Tensor(
                    register_buffer("running_mean", torch.zeros(features))));
            runningVar = scope.keep(new org.bytedeco.pytorch.Tensor(
                    register_buffer("running_var", torch.ones(features))));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        // training: batch statistics, running statistics updated in place; eval: running statistics
        return NativeTensors.wrap(torch.batch_norm(NativeTensors.unwrap(x), new TensorOptional(weight),
                new TensorOptional(bias), new TensorOptional(runningMean), new TensorOptional(runningVar),
                training(), MOMENTUM, EPS, false));
    }

    @Override
    public void release() {
        for (org.bytedeco.pytorch.Tensor t : new org.bytedeco.pytorch.Tensor[] {weight, bias, runningMean, runningVar}) {
            t.releaseReference();
        }
        super.release();
    }
}
