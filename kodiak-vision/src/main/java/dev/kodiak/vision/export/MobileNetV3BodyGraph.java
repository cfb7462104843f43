package dev.kodiak.vision.export;

import dev.kodiak.io.StateDict;
import dev.kodiak.models.MobileNetV3;
import dev.kodiak.vision.export.ConvBlocksGraph.Activation;
import java.util.List;

/**
 * torchvision's MobileNetV3-Large body in ONNX: the stem ({@code features.0}, 3x3 stride 2, hard swish), fifteen
 * inverted residual blocks with the strides and activations of {@link MobileNetV3#LARGE} (squeeze-and-excitation,
 * where the weights have it, with ReLU and hard sigmoid), and the last 1x1 convolution ({@code features.16}, hard
 * swish). BatchNorm epsilon 1e-3, as torchvision (and Kodiak) build this family.
 */
final class MobileNetV3BodyGraph implements BodyGraph {
    private static final double EPS = 1e-3;

    @Override
    public boolean builds(String architecture) {
        return architecture.equals("mobilenet_v3_large");
    }

    @Override
    public String features(OnnxGraph g, String input, StateDict body) {
        String x = ConvBlocksGraph.convNormActivation(g, input, body, "features.0", 2, false, EPS,
                Activation.HARDSWISH);
        long channels = FoldedLayer.tensor(body, "features.0.0.weight").shape()[0];
        List<MobileNetV3.Block> blocks = MobileNetV3.LARGE;
        for (int i = 0; i < blocks.size(); i++) {
            MobileNetV3.Block b = blocks.get(i);
            String prefix = "features." + (i + 1);
            x = ConvBlocksGraph.invertedResidual(g, x, body, prefix, channels, b.stride(),
                    b.hardSwish() ? Activation.HARDSWISH : Activation.RELU, Activation.RELU, Activation.HARDSIGMOID,
                    EPS);
            channels = EfficientNetBodyGraph.lastConvOutputs(body, prefix);
        }
        return ConvBlocksGraph.convNormActivation(g, x, body, "features." + (blocks.size() + 1), 1, false, EPS,
                Activation.HARDSWISH);
    }
}
