package dev.kodiak.vision.export;

import dev.kodiak.KodiakException;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;

/**
 * torchvision's ConvNeXt body in ONNX: the stem (4x4 convolution, stride 4, LayerNorm2d), four stages of blocks with
 * a downsampling (LayerNorm2d, 2x2 convolution, stride 2) between them. A block is a depthwise 7x7 convolution, then
 * channels-last LayerNorm → linear (4x wider) → GELU → linear → per-channel layer scale, back to NCHW and added to
 * its input (stochastic depth is the identity at inference). The blocks are read off the weights' names, so every
 * ConvNeXt size builds the same way. Needs opset 17 (LayerNormalization).
 */
final class ConvNeXtBodyGraph implements BodyGraph {
    private static final int STAGES = 4;

    @Override
    public boolean builds(String architecture) {
        return architecture.startsWith("convnext");
    }

    @Override
    public int minOpset() {
        return OnnxLayers.LAYER_NORM_OPSET;
    }

    @Override
    public String features(OnnxGraph g, String input, StateDict body) {
        String x = conv(g, input, body, "features.0.0", 4);
        x = OnnxLayers.layerNorm2d(g, x, body, "features.0.1");
        for (int s = 0; s < STAGES; s++) {
            String stage = "features." + (2 * s + 1) + ".";
            int blocks = 0;
            while (body.contains(stage + blocks + ".layer_scale")) {
                x = block(g, x, body, stage + blocks + ".");
                blocks++;
            }
            if (blocks == 0) {
                throw new KodiakException("the ConvNeXt weights have no block in " + stage.substring(0, stage.length() - 1));
            }
            if (s < STAGES - 1) {
                String down = "features." + (2 * s + 2) + ".";
                x = OnnxLayers.layerNorm2d(g, x, body, down + "0");
                x = conv(g, x, body, down + "1", 2);
            }
        }
        return x;
    }

    private static String block(OnnxGraph g, String x, StateDict body, String prefix) {
        TensorData w = FoldedLayer.tensor(body, prefix + "block.0.weight");
        long channels = w.shape()[0];
        String dw = g.node("Conv", prefix + "block.0", new String[] {x,
                g.constant(prefix + "block.0.weight", w.toFloats(), w.shape()),
                g.constant(prefix + "block.0.bias", FoldedLayer.tensor(body, prefix + "block.0.bias").toFloats(),
                        channels)},
                OnnxGraph.ints("kernel_shape", 7, 7), OnnxGraph.ints("pads", 3, 3, 3, 3),
                OnnxGraph.integer("group", channels));
        String y = g.node("Transpose", prefix + "nhwc", new String[] {dw}, OnnxGraph.ints("perm", 0, 2, 3, 1));
        y = OnnxLayers.layerNorm(g, y, body, prefix + "block.2");
        y = OnnxLayers.linear(g, y, body, prefix + "block.3");
        y = OnnxLayers.gelu(g, y, prefix + "gelu");
        y = OnnxLayers.linear(g, y, body, prefix + "block.5");
        float[] scale = FoldedLayer.tensor(body, prefix + "layer_scale").toFloats(); // [C, 1, 1] → [C], last axis
        y = g.node("Mul", prefix + "layer_scale", new String[] {y, g.constant(prefix + "layer_scale", scale, channels)});
        y = g.node("Transpose", prefix + "nchw", new String[] {y}, OnnxGraph.ints("perm", 0, 3, 1, 2));
        return g.node("Add", prefix + "add", new String[] {y, x});
    }

    // A patchifying convolution (stride = kernel, no padding) with its bias.
    private static String conv(OnnxGraph g, String x, StateDict body, String prefix, int stride) {
        TensorData w = FoldedLayer.tensor(body, prefix + ".weight");
        return g.conv(x, prefix, w.toFloats(), w.shape(), FoldedLayer.tensor(body, prefix + ".bias").toFloats(),
                stride, 0);
    }
}
