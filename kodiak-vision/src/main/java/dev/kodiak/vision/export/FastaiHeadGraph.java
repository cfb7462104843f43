package dev.kodiak.vision.export;

import dev.kodiak.io.StateDict;

/**
 * fastai's classification head in ONNX, the same on every body: concat pooling (global max ‖ global average, in
 * that order), then BatchNorm → dropout → linear → ReLU → BatchNorm → dropout → linear with each BatchNorm folded
 * into the linear layer after it (dropout is the identity at inference). Weights {@code bn1, fc1, bn2, fc2}.
 */
final class FastaiHeadGraph {
    private FastaiHeadGraph() {
    }

    /** The raw scores (logits) {@code [N, outputs]} from the body's feature map. */
    static String logits(OnnxGraph g, String features, StateDict head) {
        String max = g.node("GlobalMaxPool", "head.maxpool", new String[] {features});
        String avg = g.node("GlobalAveragePool", "head.avgpool", new String[] {features});
        String both = g.node("Concat", "head.concat", new String[] {max, avg}, OnnxGraph.integer("axis", 1));
        String x = g.node("Flatten", "head.flatten", new String[] {both}, OnnxGraph.integer("axis", 1));
        FoldedLayer fc1 = FoldedLayer.batchNormThenLinear(head, "bn1", "fc1");
        x = g.linear(x, "head.fc1", fc1.weight(), fc1.shape(), fc1.bias());
        x = g.node("Relu", "head.relu", new String[] {x});
        FoldedLayer fc2 = FoldedLayer.batchNormThenLinear(head, "bn2", "fc2");
        return g.linear(x, "head.fc2", fc2.weight(), fc2.shape(), fc2.bias());
    }
}
