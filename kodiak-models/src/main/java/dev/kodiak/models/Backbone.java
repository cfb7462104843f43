package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.Tensors;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.io.StateDict;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One of Kodiak's networks in its source's layout (torchvision's parameter and buffer names and shapes, so official
 * weights load by name). Built with {@code classes == 0} it is the body fastai fine-tunes: no pooling, no classifier;
 * {@link #features} gives the feature map the head pools. Each architecture family is a subclass.
 */
public abstract class Backbone extends NativeModule {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Architecture architecture;
    private final int classes;
    private boolean channelsLast;

    /** Checks the number of classes; subclasses then add their layers. */
    protected Backbone(Architecture architecture, int classes) {
        if (classes < 0 || classes > VisionModel.MAX_CLASSES) {
            throw new KodiakException("a classifier has between 0 (a body) and " + VisionModel.MAX_CLASSES
                    + " classes, got " + classes);
        }
        this.architecture = architecture;
        this.classes = classes;
    }

    /** The architecture this network was built for. */
    public final Architecture architecture() {
        return architecture;
    }

    /** The number of outputs of the classifier; 0 for a body without one. */
    public final int classes() {
        return classes;
    }

    /** The body's feature map, {@code [N, bodyFeatures, h, w]}, for images {@code [N, C, H, W]}. */
    public final dev.kodiak.tensor.Tensor features(dev.kodiak.tensor.Tensor x) {
        return NativeTensors.wrap(features(NativeTensors.unwrap(x)));
    }

    /** {@link #features(dev.kodiak.tensor.Tensor)} on libtorch's tensors: the forward pass stays native. */
    abstract Tensor features(Tensor x);

    /** The class scores (logits) {@code [N, classes]} of the whole classifier. */
    public final dev.kodiak.tensor.Tensor forward(dev.kodiak.tensor.Tensor x) {
        return NativeTensors.wrap(forward(NativeTensors.unwrap(x)));
    }

    /** {@link #forward(dev.kodiak.tensor.Tensor)} on libtorch's tensors. */
    final Tensor forward(Tensor x) {
        if (classes == 0) {
            throw new KodiakException("this " + architecture + " body has no classifier; use features(x)");
        }
        return classify(features(x));
    }

    /** The source's own classifier on the feature map (pooling included). */
    abstract Tensor classify(Tensor features);

    /**
     * Stores the 4-D weights channels-last (NHWC) and feeds inputs that way: on CPUs with oneDNN this is faster for
     * convolutions (ENGINE.md: 59 → 70 images/s training, 179 → 230 inference for ResNet-18). Returns this network.
     */
    public Backbone channelsLast(boolean on) {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            torch.MemoryFormat format = on ? torch.MemoryFormat.ChannelsLast : torch.MemoryFormat.Contiguous;
            StringTensorDict params = named_parameters();
            for (long i = 0; i < params.size(); i++) {
                Tensor p = params.get(i).value();
                if (p.dim() == 4) {
                    p.set_data(p.contiguous(format));
                }
            }
        }
        channelsLast = on;
        return this;
    }

    /** Whether weights and inputs are channels-last. */
    public final boolean isChannelsLast() {
        return channelsLast;
    }

    /** The input in the memory layout the weights are in (a new handle, or {@code x} itself). */
    final Tensor inLayout(Tensor x) {
        return channelsLast ? x.contiguous(torch.MemoryFormat.ChannelsLast) : x;
    }

    /** {@code layer} applied to {@code x} in the weights' layout; the layout's copy, if one was made, freed at once. */
    final Tensor inLayout(Tensor x, UnaryOperator<Tensor> layer) {
        Tensor input = inLayout(x);
        Tensor y = layer.apply(input);
        if (input != x) {
            Tensors.release(input);
        }
        return y;
    }

    /**
     * {@code layer} applied to {@code y}, then {@code y}'s handle released: every intermediate goes as soon as the next
     * layer has it, so the backward pass frees activations as it goes (see {@link Tensors#release}).
     */
    static Tensor then(Tensor y, UnaryOperator<Tensor> layer) {
        Tensor next = layer.apply(y);
        Tensors.release(y);
        return next;
    }

    /** {@code y} through each of {@code blocks} in turn, releasing as {@link #then} does. */
    static <B> Tensor through(Tensor y, Iterable<B> blocks, BiFunction<B, Tensor, Tensor> forward) {
        Tensor out = y;
        for (B block : blocks) {
            out = then(out, t -> forward.apply(block, t));
        }
        return out;
    }

    /**
     * Inference only: folds every BatchNorm into the layer beside it (same outputs in eval mode, one pass less per
     * layer) and switches to eval mode. Call after loading the weights and after {@link #channelsLast}; the network
     * cannot be trained afterwards. Families without BatchNorm only switch to eval mode.
     */
    public Backbone foldBatchNorm() {
        eval();
        return this;
    }

    /** Loads {@code weights} after checking every name and shape; {@code source} names the file in errors. */
    public final void load(StateDict weights, String source) {
        ModuleState.load(this, weights, describe(), source);
    }

    final String describe() {
        return architecture + (classes > 0 ? " with " + classes + " classes" : " body");
    }
}
