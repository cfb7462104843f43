package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.TorchTensors;
import dev.kodiak.engine.Tensors;
import dev.kodiak.io.TensorData;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: torchvision's Vision Transformer (Dosovitskiy et al., 2021) with exactly torchvision's parameter names
 * and shapes: {@code class_token}, {@code conv_proj} (the patch embedding: a convolution with kernel and stride the
 * patch size), {@code encoder.pos_embedding}, {@code encoder.layers.encoder_layer_0 ...} (pre-norm transformer blocks),
 * {@code encoder.ln}, and the classifier {@code heads.head}.
 *
 * <p>The body's output is the class token after {@code encoder.ln}, which torchvision's classifier reads, shaped
 * {@code [N, hidden, 1, 1]} so that fastai's head takes it like a convolutional feature map: its max and average
 * pools over one pixel are both the token itself. The position embeddings hold one vector per patch of the size the
 * weights were trained at (14x14 patches of 16 px for ViT-B/16 at 224 px), so every torchvision file loads as it is.
 * Other inputs whose sides are multiples of the patch size take the grid resampled to their own patch grid on every
 * forward pass, bicubic with aligned corners, as torchvision's {@code interpolate_embeddings} resamples a state dict
 * (and timm's dynamic image size does in the forward pass): the embeddings stay trainable, gradients reach the stored
 * grid, and the model file keeps torchvision's shapes.
 */
public final class VisionTransformer extends Backbone {
    private final int patchSize;
    private final long grid; // the stored position grid's side: the trained image size / patchSize
    private final long hidden;
    private final Tensor classToken;
    private final Conv2dImpl convProj;
    private final Tensor positions;
    private final List<EncoderBlock> layers = new ArrayList<>();
    private final LayerNormImpl ln;
    private final LinearImpl head;

    private VisionTransformer(Architecture architecture, Shape shape, int inChannels, int classes) {
        super(architecture, classes);
        this.patchSize = shape.patchSize();
        this.hidden = shape.hidden();
        this.grid = shape.imageSize() / patchSize;
        long patches = grid * grid;
        // register_parameter returns a reference into the module's parameter table, which moves as the table grows:
        // a handle of our own (new Tensor) stays valid
        classToken = new Tensor(register_parameter("class_token", torch.zeros(1, 1, hidden)));
        Conv2dOptions o = new Conv2dOptions(inChannels, hidden, new LongPointer((long) patchSize, patchSize));
        o.stride().put(new long[] {patchSize, patchSize});
        convProj = add("conv_proj", new Conv2dImpl(o));
        ModuleGroup encoder = add("encoder", new ModuleGroup());
        positions = new Tensor(encoder.register_parameter("pos_embedding", torch.empty(1, patches + 1, hidden)));
        ModuleGroup blocks = encoder.put("layers", new ModuleGroup());
        for (int i = 0; i < shape.layers(); i++) {
            layers.add(blocks.put("encoder_layer_" + i, new EncoderBlock(hidden, shape.heads(), shape.mlp())));
        }
        ln = encoder.put("ln", LayerNorms.over(hidden));
        if (classes > 0) {
            head = add("heads", new ModuleGroup()).put("head", new LinearImpl(hidden, classes));
        } else {
            head = null;
        }
        initialise(inChannels);
    }

    /**
     * A ViT's size: square images of {@code imageSize} px cut into patches of {@code patchSize}, {@code layers}
     * encoder blocks of {@code heads} attention heads over {@code hidden} features, an MLP of {@code mlp}.
     */
    record Shape(int imageSize, int patchSize, int layers, int heads, int hidden, int mlp) {
        Shape {
            if (patchSize < 1 || imageSize % patchSize != 0 || layers < 2 || heads < 1 || hidden % heads != 0
                    || mlp < 1) {
                throw new KodiakException("invalid ViT shape: image " + imageSize + ", patch " + patchSize + ", layers "
                        + layers + ", heads " + heads + ", hidden " + hidden + ", mlp " + mlp);
            }
        }
    }

    /**
     * torchvision's ViT of {@code shape}; fastai's first learning-rate group is the patch embedding, the class token,
     * the position embeddings and the first half of the encoder blocks.
     */
    static Architecture architecture(String name, Shape shape) {
        List<String> first = new ArrayList<>(List.of("class_token", "conv_proj.", "encoder.pos_embedding"));
        for (int i = 0; i < shape.layers() / 2; i++) {
            first.add("encoder.layers.encoder_layer_" + i + ".");
        }
        return new Architecture(name, shape.hidden(), "heads.head", List.of("heads."), first, "conv_proj.weight",
                (arch, in, classes) -> new VisionTransformer(arch, shape, in, classes));
    }

    @Override
    Tensor features(Tensor x) {
        if (x.dim() != 4 || x.size(2) % patchSize != 0 || x.size(3) % patchSize != 0 || x.size(2) < patchSize
                || x.size(3) < patchSize) {
            throw new KodiakException(architecture() + " cuts images into patches of " + patchSize + " px, so their sides"
                    + " must be multiples of " + patchSize + ", got " + (x.dim() == 4 ? x.size(2) + "x" + x.size(3)
                    : x.dim() + "-D input") + ": use --size " + nearestSize(x.dim() == 4 ? x.size(2) : grid * patchSize));
        }
        long n = x.size(0);
        // patches [N, E, h, w] -> a sequence [N, h*w, E]
        Tensor seq = then(inLayout(x, convProj::forward), p -> p.reshape(n, hidden, -1).permute(0, 2, 1));
        Tensor cls = classToken.expand(n, -1, -1);
        Tensor tokens = torch.cat(new TensorVector(cls, seq), 1);
        Tensors.release(cls);
        Tensors.release(seq);
        Tensor pos = positionsAt(positions, grid, hidden, x.size(2) / patchSize, x.size(3) / patchSize);
        Tensor y = through(then(tokens, t -> t.add(pos)), layers, EncoderBlock::forward);
        if (pos != positions) {
            Tensors.release(pos);
        }
        // the class token, as a 1x1 map
        return then(then(y, ln::forward), normed -> normed.select(1, 0).reshape(n, hidden, 1, 1));
    }

    private long nearestSize(long side) {
        return Math.max(patchSize, Math.round((double) side / patchSize) * patchSize);
    }

    /**
     * Position embeddings {@code [1, 1 + grid², E]} (class token first) for a patch grid of {@code rows x cols}: the
     * class token's as they are, the grid's resampled bicubically with aligned corners (torchvision's
     * {@code interpolate_embeddings}); {@code positions} itself when the grid is the stored one.
     */
    static Tensor positionsAt(Tensor positions, long grid, long hidden, long rows, long cols) {
        if (rows == grid && cols == grid) {
            return positions;
        }
        Tensor cls = positions.narrow(1, 0, 1);
        Tensor map = positions.narrow(1, 1, grid * grid).reshape(1, grid, grid, hidden).permute(0, 3, 1, 2);
        Tensor resampled = torch.upsample_bicubic2d(map, new long[] {rows, cols}, true);
        Tensor flat = resampled.permute(0, 2, 3, 1).reshape(1, rows * cols, hidden);
        Tensor out = torch.cat(new TensorVector(cls, flat), 1);
        Tensors.release(cls);
        Tensors.release(map);
        Tensors.release(resampled);
        Tensors.release(flat);
        return out;
    }

    /**
     * A ViT's stored position embeddings {@code [1, 1 + grid², E]} for a patch grid of {@code rows x cols}, as the
     * forward pass resamples them (for exporters, which fix the input size).
     */
    public static TensorData positionsAt(TensorData positions, int rows, int cols) {
        long[] shape = positions.shape();
        long grid = Math.round(Math.sqrt(shape[1] - 1));
        if (shape.length != 3 || shape[0] != 1 || grid * grid != shape[1] - 1) {
            throw new KodiakException("ViT position embeddings of shape " + java.util.Arrays.toString(shape)
                    + "; [1, 1 + n², hidden] was expected");
        }
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor stored = TorchTensors.toTensor(positions);
            return TorchTensors.fromTensor(positions.name(), positionsAt(stored, grid, shape[2], rows, cols));
        }
    }

    @Override
    Tensor classify(Tensor features) {
        return head.forward(features.flatten(1, -1));
    }

    @Override
    public VisionTransformer channelsLast(boolean on) {
        super.channelsLast(on);
        return this;
    }

    // torchvision: the patch embedding from a normal of std √(1/fan_in) (truncated at ±2, absolute: never reached),
    // zero bias; class token zero; position embeddings normal(0.02); the classifier all zeros.
    private void initialise(int inChannels) {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            torch.normal_(convProj.weight(), 0.0, Math.sqrt(1.0 / ((long) inChannels * patchSize * patchSize)));
            convProj.bias().zero_();
            torch.normal_(positions, 0.0, 0.02);
            if (head != null) {
                head.weight().zero_();
                head.bias().zero_();
            }
        }
    }
}
