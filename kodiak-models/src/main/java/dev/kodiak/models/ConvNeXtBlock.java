package dev.kodiak.models;

import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.Tensors;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.GELUImpl;
import org.bytedeco.pytorch.IdentityImpl;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A ConvNeXt block with torchvision's names: {@code layer_scale} ({@code [C, 1, 1]}) and {@code block.0} (depthwise
 * 7x7 convolution), {@code block.2} (LayerNorm over C), {@code block.3} (linear C → 4C), GELU, {@code block.5}
 * (linear 4C → C); the branch, scaled per channel and dropped per image with stochastic depth while training, is
 * added to the input. Between the convolution and the linear layers it works channels-last, where LayerNorm and
 * the linear layers read the channels of a pixel contiguously ({@code block.1} and {@code block.6} are torchvision's
 * permutations, which hold no weights).
 */
final class ConvNeXtBlock extends NativeModule {
    private final Conv2dImpl depthwise;
    private final LayerNormImpl norm;
    private final LinearImpl expand;
    private final LinearImpl project;
    private final Tensor layerScale;
    private final double dropProbability;

    ConvNeXtBlock(long channels, double layerScaleInit, double dropProbability) {
        this.dropProbability = dropProbability;
        // register_parameter returns a reference into the module's parameter table, which moves as the table grows:
        // a handle of our own (new Tensor) stays valid
        layerScale = new Tensor(register_parameter("layer_scale", torch.ones(channels, 1, 1).mul_(new Scalar(layerScaleInit))));
        ModuleListImpl block = add("block", new ModuleListImpl());
        Conv2dOptions o = new Conv2dOptions(channels, channels, new LongPointer(7L, 7L));
        o.padding().put(new LongPointer(3L, 3L));
        o.groups().put(channels);
        depthwise = append(block, new Conv2dImpl(o));
        append(block, new IdentityImpl()); // torchvision's Permute to NHWC
        norm = append(block, LayerNorms.over(channels));
        expand = append(block, new LinearImpl(channels, 4 * channels));
        append(block, new GELUImpl());
        project = append(block, new LinearImpl(4 * channels, channels));
    }

    /** The block's output; intermediates are released on the way (see {@link Tensors#release}). */
    Tensor forward(Tensor x) {
        Tensor conv = depthwise.forward(x);
        Tensor nhwc = conv.permute(0, 2, 3, 1);
        Tensors.release(conv);
        Tensor y = norm.forward(nhwc);
        Tensors.release(nhwc);
        Tensor wide = expand.forward(y);
        Tensors.release(y);
        Tensor act = torch.gelu(wide); // the exact (erf) GELU, nn.GELU()'s default
        Tensors.release(wide);
        Tensor narrow = project.forward(act);
        Tensors.release(act);
        // the per-channel scale on the NHWC view: the same products as torchvision's layer_scale * NCHW
        Tensor scale = layerScale.view(-1);
        Tensor scaled = narrow.mul(scale);
        Tensors.release(narrow);
        Tensors.release(scale);
        Tensor branch = scaled.permute(0, 3, 1, 2);
        Tensors.release(scaled);
        if (is_training() && dropProbability > 0) {
            Tensor dropped = StochasticDepth.rows(branch, dropProbability);
            Tensors.release(branch);
            branch = dropped;
        }
        branch.add_(x); // in place, as torchvision's "result += input": branch's handle is the sum
        return branch;
    }
}
