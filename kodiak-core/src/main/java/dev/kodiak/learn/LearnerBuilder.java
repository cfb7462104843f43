package dev.kodiak.learn;

import dev.kodiak.data.DataLoaders;
import dev.kodiak.learn.loss.Loss;
import dev.kodiak.learn.loss.Losses;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.learn.optim.OptimizerFactory;
import dev.kodiak.learn.optim.Optimizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds a {@link Learner}; everything but the data and the model has fastai's default. */
public final class LearnerBuilder {
    private final DataLoaders<?> dls;
    private final TrainableModel model;
    private Loss loss;
    private OptimizerFactory optimizer = Optimizers.adamW();
    private final List<Metric> metrics = new ArrayList<>();
    private final List<Callback> callbacks = new ArrayList<>();

    LearnerBuilder(DataLoaders<?> dls, TrainableModel model) {
        this.dls = dls;
        this.model = model;
    }

    /** The loss (default: follows the target block — cross-entropy, BCE with logits, or MSE). */
    public LearnerBuilder loss(Loss loss) {
        this.loss = loss;
        return this;
    }

    /** The optimizer (default: AdamW with fastai's betas, eps and weight decay). */
    public LearnerBuilder optimizer(OptimizerFactory optimizer) {
        this.optimizer = optimizer;
        return this;
    }

    public LearnerBuilder metrics(Metric... metrics) {
        this.metrics.addAll(Arrays.asList(metrics));
        return this;
    }

    public LearnerBuilder metrics(List<Metric> metrics) {
        this.metrics.addAll(metrics);
        return this;
    }

    public LearnerBuilder callbacks(Callback... callbacks) {
        this.callbacks.addAll(Arrays.asList(callbacks));
        return this;
    }

    public Learner build() {
        Loss l = loss != null ? loss : Losses.forTarget(dls.target().defaultLoss());
        return new Learner(dls, model, l, optimizer, metrics, callbacks);
    }
}
