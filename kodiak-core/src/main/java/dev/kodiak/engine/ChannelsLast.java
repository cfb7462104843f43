package dev.kodiak.engine;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.MemoryFormat;

/**
 * Channels-last (NHWC) memory layout for 4-D tensors: same shape [N, C, H, W], different strides. On CPUs with
 * oneDNN, convolutions with channels-last weights and inputs run markedly faster (ENGINE.md: 59 to 70 img/s
 * training in fp32, 156 with bf16 autocast). Convert the model once, and each input batch.
 *
 * <p>Internal: signatures use libtorch's types.
 */
public final class ChannelsLast {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private ChannelsLast() {
    }

    /**
     * Re-lays every 4-D parameter of {@code module} (conv weights) as channels-last, in place. The parameters keep
     * their identity, so an optimizer created before still updates them.
     */
    public static void apply(Module module) {
        try (GradMode g = GradMode.noGrad(); PointerScope scope = new PointerScope()) {
            NativeErrors.run("converting the model to channels-last", () -> {
                TensorVector params = module.parameters();
                for (long i = 0; i < params.size(); i++) {
                    Tensor p = params.get(i);
                    if (p.dim() == 4 && !p.is_contiguous(MemoryFormat.ChannelsLast)) {
                        p.set_data(p.contiguous(MemoryFormat.ChannelsLast));
                    }
                }
            });
        }
    }

    /** {@code t} in channels-last layout if it is 4-D (a copy only when it is not already), else {@code t}. */
    public static Tensor of(Tensor t) {
        if (t.dim() != 4) {
            return t;
        }
        return NativeErrors.call("converting a batch to channels-last", () -> t.contiguous(MemoryFormat.ChannelsLast));
    }

    /** Whether {@code t} is a 4-D tensor laid out channels-last. */
    public static boolean isChannelsLast(Tensor t) {
        return t.dim() == 4 && t.is_contiguous(MemoryFormat.ChannelsLast);
    }
}
