package dev.kodiak.learn.optim;

import dev.kodiak.tensor.Tensor;
import java.util.List;

/**
 * How to build an optimizer for a model (fastai's {@code opt_func}): the learner holds one and builds the
 * optimizer at the first fit, from the model's layer groups. Get one from {@link Optimizers}.
 */
public interface OptimizerFactory {
    /**
     * Internal: an optimizer with one parameter group per layer group (body first, head last); each
     * {@link Param} says whether it is a BatchNorm parameter or a bias (no weight decay by default).
     */
    Optimizer createFrom(List<List<Param>> groups);

    /**
     * Internal: like {@link #createFrom} for plain layer groups, treating every 1-D tensor as a BatchNorm
     * parameter or bias ({@link Param#guess}) — true for convolutional and linear networks.
     */
    default Optimizer create(List<List<Tensor>> groups) {
        return createFrom(groups.stream().map(g -> g.stream().map(Param::guess).toList()).toList());
    }

    /** The optimizer's name as the CLI and the model file say it: {@code adamw} or {@code sgd}. */
    String name();
}
