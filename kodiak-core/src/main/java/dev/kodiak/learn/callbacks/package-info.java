/**
 * Callbacks that change what the training loop does, written only with the public {@link dev.kodiak.learn.Learner}
 * and {@link dev.kodiak.tensor.Tensor} API, as a user would write their own: {@link dev.kodiak.learn.callbacks.MixUp},
 * {@link dev.kodiak.learn.callbacks.CutMix} and {@link dev.kodiak.learn.callbacks.GradientAccumulation}.
 */
package dev.kodiak.learn.callbacks;
