/**
 * Layers on Kodiak tensors for building model heads (fastai's {@code layers}): {@link dev.kodiak.layers.Layer} to
 * extend, {@link dev.kodiak.layers.Layers} for the built-in ones (linear, BatchNorm, dropout, pooling, sequential).
 * Every computation is libtorch's; parameters are registered so that training, saving and loading see them.
 */
package dev.kodiak.layers;
