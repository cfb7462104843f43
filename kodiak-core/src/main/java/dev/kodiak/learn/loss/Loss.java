package dev.kodiak.learn.loss;

import dev.kodiak.tensor.Tensor;

/**
 * A loss function on Kodiak tensors, and the activation that turns the model's raw outputs into what people
 * read (probabilities or values). The built-in ones are picked by name with {@link Losses}; a custom one is
 * written with {@link Tensor}'s operations (they are libtorch's, autograd included).
 *
 * <p>Outputs are {@code [B, k]}. Targets are class indices {@code [B]} (int64) when {@link #classTargets()}
 * is true, otherwise floats {@code [B, k]} (multi-hot or values). Like fastai's {@code ...Flat} losses, a
 * regression output {@code [B, 1]} also accepts a target {@code [B]}. Every method returns new tensors in the
 * caller's scope; a mixed-precision (bf16) output is computed in float32.
 */
public interface Loss {
    /** The loss's name as the CLI and the model file say it, e.g. {@code cross_entropy}. */
    String name();

    /** The mean loss over the batch: a 0-d float32 tensor to call {@code backward()} on. */
    Tensor mean(Tensor output, Tensor target);

    /** One loss per item, {@code [B]} float32 (averaged over the k outputs where there are several): for top losses. */
    Tensor perItem(Tensor output, Tensor target);

    /** Raw outputs to probabilities (softmax over classes, sigmoid per label) or values (identity; may return {@code output} itself). */
    Tensor activation(Tensor output);

    /** True when targets are class indices {@code [B]}; false when they are floats {@code [B, k]}. */
    boolean classTargets();
}
