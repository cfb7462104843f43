package dev.kodiak.vision.export;

import dev.kodiak.io.StateDict;

/**
 * How one family of architectures becomes ONNX: the body of a Kodiak model (the pretrained network without its
 * classifier) as graph nodes, from the model file's weights. Each architecture family contributes one; the fastai
 * head, the preprocessing and the activation are the same for every body and added around it by {@link OnnxExport}.
 */
public interface BodyGraph {
    /** Whether this builds the body of the architecture a model file names (e.g. {@code resnet34}). */
    boolean builds(String architecture);

    /** The lowest ONNX opset whose operators this body uses. */
    default int minOpset() {
        return OnnxOptions.MIN_OPSET;
    }

    /**
     * Adds the body to {@code graph}: from {@code input}, normalized images {@code [N, 3, H, W]}, to the feature map
     * {@code [N, C, h, w]} the head pools. {@code body} holds the body's weights without the {@code body.} prefix,
     * already checked name by name and shape by shape against the architecture. Fold every BatchNorm into its
     * neighbour ({@link OnnxGraph#conv} takes a bias for that). Returns the feature map's name.
     */
    String features(OnnxGraph graph, String input, StateDict body);

    /**
     * As {@link #features(OnnxGraph, String, StateDict)} for images of {@code height x width} px, the model's input
     * size. Bodies whose graph depends on it (a ViT's position embeddings, resampled to its patch grid) override this.
     */
    default String features(OnnxGraph graph, String input, int height, int width, StateDict body) {
        return features(graph, input, body);
    }
}
