package dev.kodiak.models;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.Tensors;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: stochastic depth in torchvision's "row" mode (Huang et al., 2016): while training, a residual branch is
 * dropped for each image with probability {@code p} and the kept ones are scaled by {@code 1/(1-p)}, so that the
 * expected output is unchanged and evaluation uses the branch as it is.
 */
final class StochasticDepth {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private StochasticDepth() {
    }

    /** {@code branch [N, ...]} with each image's row kept (and scaled) or zeroed; a new tensor. */
    static Tensor rows(Tensor branch, double p) {
        long[] shape = new long[(int) branch.dim()];
        java.util.Arrays.fill(shape, 1L);
        shape[0] = branch.size(0);
        Tensor keep = branch.new_empty(shape).bernoulli_(1 - p, new GeneratorOptional()); // the global generator
        if (p < 1) {
            keep.div_(new Scalar(1 - p));
        }
        Tensor out = branch.mul(keep);
        Tensors.release(keep);
        return out;
    }
}
