package dev.kodiak.vision.export;

import dev.kodiak.KodiakException;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.models.VisionTransformer;

/**
 * torchvision's Vision Transformer body in ONNX: the patch embedding (a convolution with kernel and stride the patch
 * size), flattened to tokens; the class token (expanded to the batch) in front; the position embeddings added; the
 * pre-norm encoder blocks (LayerNorm → multi-head self-attention with MatMul and Softmax → residual, LayerNorm → MLP
 * with GELU → residual); {@code encoder.ln}; and the class token out, shaped {@code [N, E, 1, 1]} as Kodiak's body
 * hands it to fastai's head; the position embeddings are resampled to the model's input size as the forward pass
 * resamples them. The number of blocks and the sizes are read off the weights; the number of heads is
 * ViT-B's (12), the only one Kodiak builds. Needs opset 17 (LayerNormalization).
 */
final class VisionTransformerBodyGraph implements BodyGraph {
    private static final int HEADS = 12;

    @Override
    public boolean builds(String architecture) {
        return architecture.startsWith("vit_");
    }

    @Override
    public int minOpset() {
        return OnnxLayers.LAYER_NORM_OPSET;
    }

    /** At the size the position embeddings were stored for (224 px for ViT-B/16). */
    @Override
    public String features(OnnxGraph g, String input, StateDict body) {
        int patch = (int) FoldedLayer.tensor(body, "conv_proj.weight").shape()[2];
        int side = (int) Math.round(Math.sqrt(FoldedLayer.tensor(body, "encoder.pos_embedding").shape()[1] - 1)) * patch;
        return features(g, input, side, side, body);
    }

    @Override
    public String features(OnnxGraph g, String input, int height, int width, StateDict body) {
        TensorData w = FoldedLayer.tensor(body, "conv_proj.weight");
        long hidden = w.shape()[0];
        int patch = (int) w.shape()[2];
        if (height % patch != 0 || width % patch != 0) {
            throw new KodiakException("a ViT with patches of " + patch + " px takes sides that are multiples of " + patch
                    + ", not " + height + "x" + width);
        }
        String x = g.conv(input, "conv_proj", w.toFloats(), w.shape(),
                FoldedLayer.tensor(body, "conv_proj.bias").toFloats(), patch, 0);
        x = g.node("Reshape", "patches", new String[] {x, OnnxLayers.longs(g, "patches.shape", false, 0, hidden, -1)});
        x = g.node("Transpose", "tokens", new String[] {x}, OnnxGraph.ints("perm", 0, 2, 1)); // [N, P, E]

        String batch = g.node("Gather", "batch", new String[] {g.node("Shape", "shape", new String[] {x}),
                OnnxLayers.longs(g, "batch.index", false, 0)}, OnnxGraph.integer("axis", 0));
        String clsShape = g.node("Concat", "class_token.shape", new String[] {batch,
                OnnxLayers.longs(g, "class_token.rest", false, 1, hidden)}, OnnxGraph.integer("axis", 0));
        TensorData token = FoldedLayer.tensor(body, "class_token");
        String cls = g.node("Expand", "class_tokens", new String[] {
                g.constant("class_token", token.toFloats(), token.shape()), clsShape});
        x = g.node("Concat", "sequence", new String[] {cls, x}, OnnxGraph.integer("axis", 1));
        // resampled to this input's patch grid once, here, as the forward pass does on every call
        TensorData pos = VisionTransformer.positionsAt(FoldedLayer.tensor(body, "encoder.pos_embedding"),
                height / patch, width / patch);
        x = g.node("Add", "positioned", new String[] {x,
                g.constant("encoder.pos_embedding", pos.toFloats(), pos.shape())});

        int blocks = 0;
        while (body.contains("encoder.layers.encoder_layer_" + blocks + ".ln_1.weight")) {
            x = block(g, x, body, "encoder.layers.encoder_layer_" + blocks + ".", hidden);
            blocks++;
        }
        if (blocks == 0) {
            throw new KodiakException("the ViT weights have no encoder block");
        }
        x = OnnxLayers.layerNorm(g, x, body, "encoder.ln");
        String first = g.node("Gather", "class_token.out", new String[] {x,
                OnnxLayers.longs(g, "class_token.index", true, 0)}, OnnxGraph.integer("axis", 1)); // [N, E]
        return g.node("Reshape", "features", new String[] {first,
                OnnxLayers.longs(g, "features.shape", false, 0, hidden, 1, 1)});
    }

    private static String block(OnnxGraph g, String x, StateDict body, String prefix, long hidden) {
        String normed = OnnxLayers.layerNorm(g, x, body, prefix + "ln_1");
        String attended = attention(g, normed, body, prefix + "self_attention", hidden);
        String residual = g.node("Add", prefix + "residual1", new String[] {attended, x});
        String y = OnnxLayers.layerNorm(g, residual, body, prefix + "ln_2");
        y = OnnxLayers.linear(g, y, body, prefix + "mlp.0");
        y = OnnxLayers.gelu(g, y, prefix + "gelu");
        y = OnnxLayers.linear(g, y, body, prefix + "mlp.3");
        return g.node("Add", prefix + "residual2", new String[] {y, residual});
    }

    // PyTorch's MultiheadAttention: q, k, v from one stacked projection, softmax(q·kᵀ/√d)·v per head, out_proj.
    private static String attention(OnnxGraph g, String x, StateDict body, String prefix, long hidden) {
        String qkv = OnnxLayers.linear(g, x, prefix + ".in_proj", FoldedLayer.tensor(body, prefix + ".in_proj_weight"),
                FoldedLayer.tensor(body, prefix + ".in_proj_bias")); // [N, L, 3E]
        long d = hidden / HEADS;
        qkv = g.node("Reshape", prefix + ".split", new String[] {qkv,
                OnnxLayers.longs(g, prefix + ".split.shape", false, 0, 0, 3, HEADS, d)});
        qkv = g.node("Transpose", prefix + ".heads", new String[] {qkv}, OnnxGraph.ints("perm", 2, 0, 3, 1, 4));
        String[] parts = new String[3];
        for (int i = 0; i < 3; i++) {
            parts[i] = g.node("Gather", prefix + ".qkv" + i, new String[] {qkv,
                    OnnxLayers.longs(g, prefix + ".qkv" + i + ".index", true, i)}, OnnxGraph.integer("axis", 0));
        }
        String kt = g.node("Transpose", prefix + ".kt", new String[] {parts[1]}, OnnxGraph.ints("perm", 0, 1, 3, 2));
        String scores = g.node("MatMul", prefix + ".scores", new String[] {parts[0], kt});
        scores = g.node("Mul", prefix + ".scaled", new String[] {scores,
                g.constant(prefix + ".scale", new float[] {(float) (1 / Math.sqrt(d))})});
        String weights = g.node("Softmax", prefix + ".softmax", new String[] {scores}, OnnxGraph.integer("axis", -1));
        String context = g.node("MatMul", prefix + ".context", new String[] {weights, parts[2]}); // [N, H, L, D]
        context = g.node("Transpose", prefix + ".merge", new String[] {context}, OnnxGraph.ints("perm", 0, 2, 1, 3));
        context = g.node("Reshape", prefix + ".merged", new String[] {context,
                OnnxLayers.longs(g, prefix + ".merged.shape", false, 0, 0, hidden)});
        return OnnxLayers.linear(g, context, body, prefix + ".out_proj");
    }
}
