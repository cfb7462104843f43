package dev.kodiak.models;

import dev.kodiak.layers.Layer;

/**
 * Makes a model head: the layers on top of a pretrained body (fastai's {@code custom_head}). The head takes the
 * body's feature map {@code [N, bodyFeatures, h, w]} and returns {@code [N, outputs]} raw outputs (logits).
 * <pre>{@code
 * public final class SmallHead implements HeadFactory {
 *     public String name() { return "small"; }
 *     public Layer create(int bodyFeatures, int outputs) {
 *         return Layers.sequential(Layers.avgPool(), Layers.dropout(0.2), Layers.linear(bodyFeatures, outputs));
 *     }
 * }
 * Learner learn = VisionLearner.create(dls, Architectures.RESNET34, new SmallHead(), options);
 * }</pre>
 * The model file records the head's {@link #name()}, not its code: a program that loads the file must know the
 * factory, either from {@link Heads#register} or from a {@code META-INF/services/dev.kodiak.models.HeadFactory}
 * file in its jar that lists the class (which then needs a public no-argument constructor).
 */
public interface HeadFactory {
    /**
     * The head's name as the model file records it: lowercase letters, digits, {@code _ - .}; unique among the heads
     * a program knows ({@value Heads#FASTAI} is the built-in one).
     */
    String name();

    /** A new, freshly initialised head for a body with {@code bodyFeatures} channels and {@code outputs} outputs. */
    Layer create(int bodyFeatures, int outputs);
}
