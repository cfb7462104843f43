package dev.kodiak.vision.export;

import dev.kodiak.KodiakException;
import dev.kodiak.io.StateDict;
import dev.kodiak.vision.export.ConvBlocksGraph.Activation;

/**
 * torchvision's RegNetY body in ONNX: the stem (3x3 stride 2, ReLU), then {@code trunk_output.block1-4}, whose blocks
 * {@code block<s>-<i>} are 1x1 → grouped 3x3 (the stride, 2 in each stage's first block) → squeeze-and-excitation
 * (ReLU, sigmoid) → 1x1, plus the input or its {@code proj} (1x1 with the stride) where the shape changes, then ReLU.
 * Depths, widths and groups are read off the weights.
 */
final class RegNetBodyGraph implements BodyGraph {
    private static final double EPS = 1e-5;
    private static final int STAGES = 4;

    @Override
    public boolean builds(String architecture) {
        return architecture.startsWith("regnet_y_");
    }

    @Override
    public String features(OnnxGraph g, String input, StateDict body) {
        String x = ConvBlocksGraph.convNormActivation(g, input, body, "stem", 2, false, EPS, Activation.RELU);
        for (int s = 1; s <= STAGES; s++) {
            int blocks = 0;
            String stage = "trunk_output.block" + s + ".block" + s + "-";
            while (body.contains(stage + blocks + ".f.a.0.weight")) {
                x = block(g, x, body, stage + blocks, blocks == 0 ? 2 : 1);
                blocks++;
            }
            if (blocks == 0) {
                throw new KodiakException("the RegNet weights have no block in trunk_output.block" + s);
            }
        }
        return x;
    }

    private static String block(OnnxGraph g, String x, StateDict body, String prefix, int stride) {
        String f = prefix + ".f.";
        String y = ConvBlocksGraph.convNormActivation(g, x, body, f + "a", 1, false, EPS, Activation.RELU);
        y = ConvBlocksGraph.convNormActivation(g, y, body, f + "b", stride, true, EPS, Activation.RELU);
        if (body.contains(f + "se.fc1.weight")) {
            y = ConvBlocksGraph.squeezeExcitation(g, y, body, f + "se", Activation.RELU, Activation.SIGMOID);
        }
        y = ConvBlocksGraph.convNormActivation(g, y, body, f + "c", 1, false, EPS, Activation.NONE);
        String shortcut = body.contains(prefix + ".proj.0.weight")
                ? ConvBlocksGraph.convNormActivation(g, x, body, prefix + ".proj", stride, false, EPS, Activation.NONE)
                : x;
        String sum = g.node("Add", prefix + ".add", new String[] {y, shortcut});
        return g.node("Relu", prefix + ".relu", new String[] {sum});
    }
}
