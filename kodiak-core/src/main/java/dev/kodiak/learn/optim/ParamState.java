package dev.kodiak.learn.optim;

import dev.kodiak.engine.Engine;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: what an optimizer remembers about one parameter (moment buffers and how many updates it has had).
 * Its tensors are created outside every step scope's reach (kept) and freed by {@link #close()}.
 */
final class ParamState {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    final Tensor[] buffers;
    long step;
    // the update count as a float tensor, for kernels that read it from memory (FusedAdamW); made on first use
    private Tensor stepTensor;

    ParamState(Tensor[] buffers, long step) {
        this.buffers = buffers;
        this.step = step;
    }

    /** {@link #step} as a one-element float tensor (kept outside every scope; freed by {@link #close()}). */
    Tensor stepTensor() {
        if (stepTensor == null) {
            stepTensor = org.bytedeco.pytorch.global.torch.zeros(1);
            stepTensor.retainReference();
        }
        stepTensor.fill_(new org.bytedeco.pytorch.Scalar((double) step));
        return stepTensor;
    }

    void close() {
        for (Tensor t : buffers) {
            t.close();
        }
        if (stepTensor != null) {
            stepTensor.close();
        }
    }
}
