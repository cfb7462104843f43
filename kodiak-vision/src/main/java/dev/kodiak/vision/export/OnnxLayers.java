package dev.kodiak.vision.export;

import ai.onnx.proto.OnnxMl;
import dev.kodiak.KodiakException;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;

/**
 * The layers ConvNeXt and the Vision Transformer share, as ONNX nodes from a model file's weights: LayerNorm over the
 * last axis (ONNX's LayerNormalization, opset 17), LayerNorm over the channels of an NCHW map, a linear layer on the
 * last axis of a tensor of any rank (MatMul with the transposed weights, then Add), and the exact GELU
 * ({@code x·½·(1 + erf(x/√2))}, as PyTorch's {@code nn.GELU()} computes it; ONNX has no Gelu operator before 20).
 */
final class OnnxLayers {
    /** The first opset with LayerNormalization. */
    static final int LAYER_NORM_OPSET = 17;
    /** torchvision's LayerNorm epsilon in ConvNeXt and ViT. */
    static final float LAYER_NORM_EPS = 1e-6f;

    private OnnxLayers() {
    }

    /** LayerNorm {@code prefix.weight, prefix.bias} over the last axis of {@code x}. */
    static String layerNorm(OnnxGraph g, String x, StateDict weights, String prefix) {
        TensorData w = FoldedLayer.tensor(weights, prefix + ".weight");
        TensorData b = FoldedLayer.tensor(weights, prefix + ".bias");
        return g.node("LayerNormalization", prefix, new String[] {x,
                g.constant(prefix + ".weight", w.toFloats(), w.shape()),
                g.constant(prefix + ".bias", b.toFloats(), b.shape())},
                OnnxGraph.integer("axis", -1), real("epsilon", LAYER_NORM_EPS));
    }

    /** ConvNeXt's LayerNorm2d: LayerNorm over C of {@code x [N, C, H, W]}, through NHWC and back. */
    static String layerNorm2d(OnnxGraph g, String x, StateDict weights, String prefix) {
        String nhwc = g.node("Transpose", prefix + ".nhwc", new String[] {x}, OnnxGraph.ints("perm", 0, 2, 3, 1));
        String normed = layerNorm(g, nhwc, weights, prefix);
        return g.node("Transpose", prefix + ".nchw", new String[] {normed}, OnnxGraph.ints("perm", 0, 3, 1, 2));
    }

    /** {@code x · Wᵀ + b} on the last axis of {@code x}, for the linear layer {@code prefix.weight [out, in]}. */
    static String linear(OnnxGraph g, String x, StateDict weights, String prefix) {
        return linear(g, x, prefix, FoldedLayer.tensor(weights, prefix + ".weight"),
                FoldedLayer.tensor(weights, prefix + ".bias"));
    }

    /** {@code x · Wᵀ + b} on the last axis of {@code x} for {@code weight [out, in]} and {@code bias [out]}. */
    static String linear(OnnxGraph g, String x, String name, TensorData weight, TensorData bias) {
        if (weight.shape().length != 2) {
            throw new KodiakException("tensor " + weight.name() + " should be 2-D, has shape " + weight.shapeString());
        }
        int out = (int) weight.shape()[0];
        int in = (int) weight.shape()[1];
        float[] values = weight.toFloats();
        float[] transposed = new float[values.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                transposed[i * out + o] = values[o * in + i];
            }
        }
        String product = g.node("MatMul", name, new String[] {x, g.constant(name + ".weight", transposed, in, out)});
        return g.node("Add", name + ".add", new String[] {product, g.constant(name + ".bias", bias.toFloats(), out)});
    }

    /** The exact GELU of {@code x}. */
    static String gelu(OnnxGraph g, String x, String name) {
        String scaled = g.node("Mul", name + ".scale", new String[] {x,
                g.constant(name + ".rsqrt2", new float[] {(float) (1 / Math.sqrt(2))})});
        String erf = g.node("Erf", name + ".erf", new String[] {scaled});
        String onePlus = g.node("Add", name + ".one_plus", new String[] {erf, g.constant(name + ".one", new float[] {1f})});
        String half = g.node("Mul", name + ".half", new String[] {x, g.constant(name + ".0.5", new float[] {0.5f})});
        return g.node("Mul", name, new String[] {half, onePlus});
    }

    /** An int64 constant (shapes, indices): a 1-D tensor of {@code values}, or a scalar when {@code scalar}. */
    static String longs(OnnxGraph g, String name, boolean scalar, long... values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder()
                .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE);
        if (!scalar) {
            t.addDims(values.length);
        }
        for (long v : values) {
            t.addInt64Data(v);
        }
        return g.node("Constant", name, new String[0], OnnxMl.AttributeProto.newBuilder().setName("value")
                .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(t).build());
    }

    /** A float attribute, e.g. {@code real("epsilon", 1e-6f)}. */
    static OnnxMl.AttributeProto real(String name, float value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
                .setF(value).build();
    }
}
