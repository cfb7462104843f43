package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.DetailConv2dOptions;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: folds an evaluation-mode BatchNorm into the layer next to it, for inference. In eval mode BatchNorm is a
 * per-channel affine map {@code x·s + t} with {@code s = γ/√(var+ε)} and {@code t = β − mean·s}, so
 * <ul>
 *   <li>conv then BN equals one convolution with weights {@code W·s} (per output channel) and bias {@code t};</li>
 *   <li>BN then linear (fastai's head: BN → dropout → linear; dropout is the identity in eval) equals one linear
 *       layer with weights {@code W·s} (per input feature) and bias {@code W·t}.</li>
 * </ul>
 * Removes one full pass over every activation map per convolution. The folded layers are new modules; the originals
 * are left untouched (and still hold the trained values).
 */
final class BatchNormFolding {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private BatchNormFolding() {
    }

    /** A convolution (with bias) computing {@code bn(conv(x))} in eval mode. */
    static Conv2dImpl conv(Conv2dImpl conv, BatchNorm2dImpl bn) {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor w = conv.weight();
            long[] shape = w.shape(); // [out, in, kh, kw]
            DetailConv2dOptions source = conv.options();
            long groups = source.groups().get(); // depthwise and grouped convolutions fold per output channel alike
            Conv2dOptions o = new Conv2dOptions(shape[1] * groups, shape[0], new LongPointer(shape[2], shape[3]));
            o.groups().put(groups);
            o.stride().put(new long[] {source.stride().get(0), source.stride().get(1)});
            LongPointer padding = source.padding().get0();
            o.padding().put(new LongPointer(padding.get(0), padding.get(1)));
            o.bias().put(true);
            if (source.dilation().get(0) != 1 || source.dilation().get(1) != 1) {
                throw new KodiakException("cannot fold BatchNorm into a dilated convolution");
            }
            Conv2dImpl fused = scope.keep(new Conv2dImpl(o)); // the module outlives this scope
            Tensor scale = scale(bn.weight(), bn.running_var(), bn.options());
            Tensor shift = bn.bias().sub(bn.running_mean().mul(scale));
            Tensor fusedWeight = w.mul(scale.reshape(shape[0], 1, 1, 1));
            boolean channelsLast = w.is_contiguous(torch.MemoryFormat.ChannelsLast);
            fused.weight().set_data(fusedWeight.contiguous(channelsLast
                    ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous));
            fused.bias().copy_(shift);
            fused.eval();
            return fused;
        }
    }

    /** A linear layer (with bias) computing {@code linear(bn(x))} in eval mode. */
    static LinearImpl linear(BatchNorm1dImpl bn, LinearImpl linear) {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor w = linear.weight(); // [out, in]
            long[] shape = w.shape();
            LinearOptions o = new LinearOptions(shape[1], shape[0]);
            o.bias().put(true);
            LinearImpl fused = scope.keep(new LinearImpl(o));
            Tensor scale = scale(bn.weight(), bn.running_var(), bn.options());
            Tensor shift = bn.bias().sub(bn.running_mean().mul(scale));
            fused.weight().copy_(w.mul(scale.reshape(1, shape[1])));
            Tensor bias = w.matmul(shift);
            Tensor old = linear.bias();
            if (old != null && old.defined()) {
                bias = bias.add(old);
            }
            fused.bias().copy_(bias);
            fused.eval();
            return fused;
        }
    }

    private static Tensor scale(Tensor gamma, Tensor runningVar, BatchNormOptions options) {
        return gamma.div(runningVar.add(new Scalar(options.eps().get())).sqrt());
    }
}
