package dev.kodiak.vision.export;

import dev.kodiak.io.StateDict;

/**
 * The building blocks EfficientNet, MobileNetV3 and RegNet share, in ONNX: torchvision's convolution → BatchNorm →
 * activation ({@code Conv2dNormActivation}, the BatchNorm folded into the convolution), squeeze-and-excitation, and
 * the mobile inverted residual block. Activations are written with operators every opset Kodiak writes (13 and up)
 * has: SiLU as {@code x·Sigmoid(x)}, hard swish as {@code x·HardSigmoid(x)} (HardSwish itself needs opset 14).
 */
final class ConvBlocksGraph {
    /** An activation after a convolution or inside squeeze-and-excitation. */
    enum Activation {
        NONE, RELU, SILU, HARDSWISH, SIGMOID, HARDSIGMOID
    }

    private ConvBlocksGraph() {
    }

    /**
     * {@code <prefix>.0} (the convolution) and {@code <prefix>.1} (its BatchNorm, epsilon {@code eps}) as one
     * convolution with "same" padding, then {@code activation}. Grouped convolutions have as many groups as their
     * output channels divided by the weight's input channels (torchvision's grouped layers keep the channel count).
     */
    static String convNormActivation(OnnxGraph g, String x, StateDict body, String prefix, int stride, boolean grouped,
            double eps, Activation activation) {
        FoldedLayer f = FoldedLayer.convThenBatchNorm(body, prefix + ".0", prefix + ".1", eps);
        long[] shape = f.shape();
        int groups = grouped ? (int) (shape[0] / shape[1]) : 1;
        String y = g.conv(x, prefix, f.weight(), shape, f.bias(), stride, (int) (shape[2] - 1) / 2, groups);
        return activation(g, y, prefix, activation);
    }

    /** {@code x} scaled per channel by {@code gate(fc2(activation(fc1(mean over the map))))}. */
    static String squeezeExcitation(OnnxGraph g, String x, StateDict body, String prefix, Activation activation,
            Activation gate) {
        String s = g.node("GlobalAveragePool", prefix + ".avgpool", new String[] {x});
        s = activation(g, pointwise(g, s, body, prefix + ".fc1"), prefix + ".fc1", activation);
        s = activation(g, pointwise(g, s, body, prefix + ".fc2"), prefix + ".fc2", gate);
        return g.node("Mul", prefix + ".scale", new String[] {x, s});
    }

    /**
     * A mobile inverted residual block {@code <prefix>.block.0, .1, ...} read off its weights: convolutions (the
     * depthwise one, whose weight has one input channel per group, takes the stride), a squeeze-and-excitation where
     * the weights have {@code fc1}, the last convolution without activation; the input added back when stride and
     * channels allow ({@code channels} are the input's). Returns the output's name.
     */
    static String invertedResidual(OnnxGraph g, String x, StateDict body, String prefix, long channels, int stride,
            Activation activation, Activation seActivation, Activation seGate, double eps) {
        int parts = 0;
        while (body.contains(prefix + ".block." + parts + ".0.weight")
                || body.contains(prefix + ".block." + parts + ".fc1.weight")) {
            parts++;
        }
        String y = x;
        long out = channels;
        for (int i = 0; i < parts; i++) {
            String part = prefix + ".block." + i;
            if (body.contains(part + ".fc1.weight")) {
                y = squeezeExcitation(g, y, body, part, seActivation, seGate);
                continue;
            }
            long[] shape = FoldedLayer.tensor(body, part + ".0.weight").shape();
            boolean depthwise = shape[1] == 1 && shape[2] > 1;
            y = convNormActivation(g, y, body, part, depthwise ? stride : 1, depthwise, eps,
                    i == parts - 1 ? Activation.NONE : activation);
            out = shape[0];
        }
        return stride == 1 && out == channels ? g.node("Add", prefix + ".add", new String[] {y, x}) : y;
    }

    /** {@code activation} on {@code x}; {@code x} itself for {@link Activation#NONE}. */
    static String activation(OnnxGraph g, String x, String prefix, Activation activation) {
        return switch (activation) {
            case NONE -> x;
            case RELU -> g.node("Relu", prefix + ".relu", new String[] {x});
            case SIGMOID -> g.node("Sigmoid", prefix + ".sigmoid", new String[] {x});
            case HARDSIGMOID -> hardSigmoid(g, x, prefix);
            case SILU -> g.node("Mul", prefix + ".silu", new String[] {x,
                    g.node("Sigmoid", prefix + ".sigmoid", new String[] {x})});
            case HARDSWISH -> g.node("Mul", prefix + ".hardswish", new String[] {x, hardSigmoid(g, x, prefix)});
        };
    }

    // PyTorch's hard sigmoid is relu6(x + 3) / 6: ONNX's max(0, min(1, alpha·x + beta)) with alpha 1/6, beta 1/2
    // (ONNX's defaults are 0.2 and 0.5).
    private static String hardSigmoid(OnnxGraph g, String x, String prefix) {
        return g.node("HardSigmoid", prefix + ".hardsigmoid", new String[] {x}, OnnxGraph.real("alpha", 1 / 6f),
                OnnxGraph.real("beta", 0.5f));
    }

    // A 1x1 convolution with its own bias (squeeze-and-excitation's fc1/fc2: no BatchNorm).
    private static String pointwise(OnnxGraph g, String x, StateDict body, String name) {
        var w = FoldedLayer.tensor(body, name + ".weight");
        return g.conv(x, name, w.toFloats(), w.shape(), FoldedLayer.tensor(body, name + ".bias").toFloats(), 1, 0);
    }
}
