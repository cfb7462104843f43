package dev.kodiak.learn.optim;

import org.bytedeco.pytorch.Tensor;

/**
 * Internal: what an optimizer remembers about one parameter (moment buffers and how many updates it has had).
 * Its tensors are created outside every step scope's reach (kept) and freed by {@link #close()}.
 */
final class ParamState {
    final Tensor[] buffers;
    long step;

    ParamState(Tensor[] buffers, long step) {
        this.buffers = buffers;
        this.step = step;
    }

    void close() {
        for (Tensor t : buffers) {
            t.close();
        }
    }
}
