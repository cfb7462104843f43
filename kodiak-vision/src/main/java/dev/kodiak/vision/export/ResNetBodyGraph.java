package dev.kodiak.vision.export;

import dev.kodiak.KodiakException;
import dev.kodiak.io.StateDict;

/**
 * torchvision's ResNet body (ResNet-18/34/50 as Kodiak builds them) in ONNX: stem (7x7 convolution, stride 2, ReLU,
 * 3x3 max pool, stride 2), then four stages of residual blocks whose first block in stages 2-4 halves the size.
 * Basic blocks have two 3x3 convolutions (the stride on the first), bottlenecks 1x1 → 3x3 (the stride here, as in
 * torchvision's "v1.5") → 1x1; a {@code downsample} 1x1 convolution with the same stride carries the shortcut where
 * the shape changes. The blocks are read off the weights' names, so every depth builds the same way.
 */
final class ResNetBodyGraph implements BodyGraph {
    private static final int STAGES = 4;

    @Override
    public boolean builds(String architecture) {
        return architecture.startsWith("resnet");
    }

    @Override
    public String features(OnnxGraph g, String input, StateDict body) {
        String x = conv(g, input, body, "conv1", "bn1", 2);
        x = g.node("Relu", "relu", new String[] {x});
        x = g.node("MaxPool", "maxpool", new String[] {x}, OnnxGraph.ints("kernel_shape", 3, 3),
                OnnxGraph.ints("strides", 2, 2), OnnxGraph.ints("pads", 1, 1, 1, 1));
        for (int s = 1; s <= STAGES; s++) {
            int blocks = 0;
            while (body.contains("layer" + s + "." + blocks + ".conv1.weight")) {
                x = block(g, x, body, "layer" + s + "." + blocks + ".", s > 1 && blocks == 0 ? 2 : 1);
                blocks++;
            }
            if (blocks == 0) {
                throw new KodiakException("the ResNet weights have no block in layer" + s);
            }
        }
        return x;
    }

    private static String block(OnnxGraph g, String x, StateDict body, String prefix, int stride) {
        boolean bottleneck = body.contains(prefix + "conv3.weight");
        int convs = bottleneck ? 3 : 2;
        int strided = bottleneck ? 2 : 1;
        String y = x;
        for (int i = 1; i <= convs; i++) {
            y = conv(g, y, body, prefix + "conv" + i, prefix + "bn" + i, i == strided ? stride : 1);
            if (i < convs) {
                y = g.node("Relu", prefix + "relu" + i, new String[] {y});
            }
        }
        String shortcut = body.contains(prefix + "downsample.0.weight")
                ? conv(g, x, body, prefix + "downsample.0", prefix + "downsample.1", stride) : x;
        String sum = g.node("Add", prefix + "add", new String[] {y, shortcut});
        return g.node("Relu", prefix + "relu", new String[] {sum});
    }

    // A convolution with its BatchNorm folded in; "same" padding for the odd kernels ResNet uses (7, 3, 1).
    private static String conv(OnnxGraph g, String x, StateDict body, String conv, String bn, int stride) {
        FoldedLayer f = FoldedLayer.convThenBatchNorm(body, conv, bn);
        return g.conv(x, conv, f.weight(), f.shape(), f.bias(), stride, (int) (f.shape()[2] / 2));
    }
}
