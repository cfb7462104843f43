package dev.kodiak.learn.optim;

import dev.kodiak.engine.Engine;
import dev.kodiak.tensor.Tensor;
import java.util.Objects;

/**
 * One trainable tensor handed to an optimizer, and whether it is a BatchNorm parameter or a bias.
 * fastai trains those without weight decay ({@code wd_bn_bias=False}): decaying a BatchNorm scale towards zero
 * or a bias towards zero only hurts, it does not regularise.
 *
 * @param tensor    the parameter (a leaf tensor that receives a gradient)
 * @param bnOrBias  true for BatchNorm weights/biases and for biases of other layers
 */
public record Param(Tensor tensor, boolean bnOrBias) {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    public Param {
        Objects.requireNonNull(tensor, "tensor");
    }

    /** A weight that takes weight decay. */
    public static Param weight(Tensor tensor) {
        return new Param(tensor, false);
    }

    /** A BatchNorm parameter or a bias: no weight decay unless the factory asks for it. */
    public static Param bnOrBias(Tensor tensor) {
        return new Param(tensor, true);
    }

    /**
     * The usual rule when no layer information is at hand: in convolutional and linear networks every 1-D
     * parameter is a bias or a normalisation weight, every weight matrix/kernel has 2 or more dimensions.
     */
    public static Param guess(Tensor tensor) {
        return new Param(tensor, tensor.dim() <= 1);
    }
}
