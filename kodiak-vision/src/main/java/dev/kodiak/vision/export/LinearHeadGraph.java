package dev.kodiak.vision.export;

import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;

/**
 * The plain head ({@code Heads.linear()}: global average pooling, then {@code 1.weight}/{@code 1.bias}) as ONNX
 * nodes on the body's feature map.
 */
final class LinearHeadGraph {
    private LinearHeadGraph() {
    }

    static String logits(OnnxGraph g, String features, StateDict head) {
        String avg = g.node("GlobalAveragePool", "head.avgpool", new String[] {features});
        String x = g.node("Flatten", "head.flatten", new String[] {avg}, OnnxGraph.integer("axis", 1));
        TensorData w = FoldedLayer.tensor(head, "1.weight");
        return g.linear(x, "head.fc", w.toFloats(), w.shape(), FoldedLayer.tensor(head, "1.bias").toFloats());
    }
}
