package dev.kodiak.vision.export;

import dev.kodiak.KodiakException;
import dev.kodiak.io.StateDict;
import dev.kodiak.models.EfficientNet;
import dev.kodiak.vision.export.ConvBlocksGraph.Activation;

/**
 * torchvision's EfficientNet body (B0, B3: any width and depth) in ONNX: the stem ({@code features.0}, 3x3 stride 2,
 * SiLU), seven stages of inverted residual blocks (SiLU; squeeze-and-excitation with SiLU and sigmoid) whose first
 * block takes the stage's stride ({@link EfficientNet#STAGE_STRIDES}), and the last 1x1 convolution
 * ({@code features.8}, SiLU). The number of blocks per stage and every width are read off the weights.
 */
final class EfficientNetBodyGraph implements BodyGraph {
    private static final double EPS = 1e-5; // torchvision's B0-B7 keep PyTorch's BatchNorm defaults, as Kodiak does

    @Override
    public boolean builds(String architecture) {
        return architecture.startsWith("efficientnet_b");
    }

    @Override
    public String features(OnnxGraph g, String input, StateDict body) {
        String x = ConvBlocksGraph.convNormActivation(g, input, body, "features.0", 2, false, EPS, Activation.SILU);
        long channels = FoldedLayer.tensor(body, "features.0.0.weight").shape()[0];
        int stages = EfficientNet.STAGE_STRIDES.size();
        for (int s = 1; s <= stages; s++) {
            int blocks = 0;
            while (body.contains("features." + s + "." + blocks + ".block.0.0.weight")) {
                String prefix = "features." + s + "." + blocks;
                int stride = blocks == 0 ? EfficientNet.STAGE_STRIDES.get(s - 1) : 1;
                x = ConvBlocksGraph.invertedResidual(g, x, body, prefix, channels, stride, Activation.SILU,
                        Activation.SILU, Activation.SIGMOID, EPS);
                channels = lastConvOutputs(body, prefix);
                blocks++;
            }
            if (blocks == 0) {
                throw new KodiakException("the EfficientNet weights have no block in features." + s);
            }
        }
        return ConvBlocksGraph.convNormActivation(g, x, body, "features." + (stages + 1), 1, false, EPS,
                Activation.SILU);
    }

    // The block's output channels: its projection (the last convolution) has them.
    static long lastConvOutputs(StateDict body, String prefix) {
        int last = 0;
        while (body.contains(prefix + ".block." + (last + 1) + ".0.weight")
                || body.contains(prefix + ".block." + (last + 1) + ".fc1.weight")) {
            last++;
        }
        return FoldedLayer.tensor(body, prefix + ".block." + last + ".0.weight").shape()[0];
    }
}
