package dev.kodiak.layers;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.tensor.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Zeroes each value with probability {@code p} while training (scaling the rest by 1/(1−p)); the identity in eval. */
final class Dropout extends Layer {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final double p;

    Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new KodiakException("a dropout probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return training() && p > 0 ? NativeTensors.wrap(torch.dropout(NativeTensors.unwrap(x), p, true)) : x;
    }
}
