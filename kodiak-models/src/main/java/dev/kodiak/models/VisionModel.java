package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.io.ReadLimits;
import dev.kodiak.io.StateDict;
import dev.kodiak.layers.Layer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;

/**
 * The network fine-tuning trains, fastai-style: a pretrained architecture's body ({@code body.*}: the torchvision
 * model without average pool and fc) and a new head ({@code head.*}): fastai's by default ({@code head.bn1, head.fc1,
 * head.bn2, head.fc2}, see {@link Heads#fastai()}), or one a {@link HeadFactory} makes. Its inputs, outputs and
 * parameters are Kodiak tensors; the layers inside are libtorch's.
 */
public final class VisionModel extends NativeModule {
    /**
     * The most outputs (classes, labels or regression values) a head may have: ImageNet-21k's 21,843 fit, while a
     * crafted file cannot make Kodiak build a last layer of gigabytes.
     */
    public static final int MAX_CLASSES = 100_000;
    /** The hidden features of fastai's head (its first linear layer's outputs). */
    public static final int HEAD_HIDDEN = Head.HIDDEN;

    private final Architecture architecture;
    private final int classes;
    private final int inChannels;
    private final Backbone body;
    private final String headName;
    private final Layer head;
    private final Head fastaiHead; // the same layer when it is fastai's (native forward, BatchNorm folding); else null

    private VisionModel(Architecture architecture, int classes, HeadFactory heads, int inChannels) {
        this.architecture = architecture;
        this.classes = classes;
        this.inChannels = inChannels;
        this.headName = Heads.checkedName(heads);
        this.body = add("body", architecture.newBody(inChannels));
        Layer made = heads.create(architecture.bodyFeatures(), classes);
        if (made == null) {
            throw new KodiakException("the head factory '" + headName + "' (" + heads.getClass().getName()
                    + ") made no head");
        }
        this.head = add("head", made);
        this.fastaiHead = made instanceof Head h ? h : null;
    }

    /** A randomly initialised model: body as torchvision initialises it, head as fastai does. */
    public static VisionModel create(Architecture architecture, int classes) {
        return create(architecture, classes, Heads.fastai());
    }

    /** A randomly initialised model: body as torchvision initialises it, the head {@code head} makes. */
    public static VisionModel create(Architecture architecture, int classes, HeadFactory head) {
        return create(architecture, classes, head, 3);
    }

    /**
     * A randomly initialised model taking {@code inChannels} input channels: 3 for RGB, 1 for spectrograms and
     * greyscale (ImageNet weights then load through {@link StemAdapter}).
     */
    public static VisionModel create(Architecture architecture, int classes, HeadFactory head, int inChannels) {
        if (classes < 1 || classes > MAX_CLASSES) {
            throw new KodiakException("a classifier needs between 1 and " + MAX_CLASSES + " classes, got " + classes);
        }
        if (inChannels != 1 && inChannels != 3) {
            throw new KodiakException("a model takes 1 (greyscale, spectrogram) or 3 (RGB) input channels, got "
                    + inChannels);
        }
        return new VisionModel(architecture, classes, head, inChannels);
    }

    /** Input channels: 3 for RGB, 1 for spectrograms. */
    public int inChannels() {
        return inChannels;
    }

    /** The head's name as the model file records it ({@value Heads#FASTAI} or a custom head's). */
    public String headName() {
        return headName;
    }

    /** The architecture of the body. */
    public Architecture architecture() {
        return architecture;
    }

    /** The number of outputs of the head. */
    public int classes() {
        return classes;
    }

    /** Class scores (logits) {@code [N, classes]} for images {@code [N, 3, H, W]}. */
    public dev.kodiak.tensor.Tensor forward(dev.kodiak.tensor.Tensor x) {
        return NativeTensors.wrap(forward(NativeTensors.unwrap(x)));
    }

    /** {@link #forward(dev.kodiak.tensor.Tensor)} on libtorch's tensors: the whole forward pass stays native. */
    Tensor forward(Tensor x) {
        Tensor features = body.features(x);
        if (fastaiHead != null) {
            return fastaiHead.forward(features);
        }
        Tensor y = NativeTensors.unwrap(head.forward(NativeTensors.wrap(features)));
        if (y == null || y.dim() != 2 || y.size(0) != features.size(0) || y.size(1) != classes) {
            throw new KodiakException("the head '" + headName + "' returned " + (y == null ? "nothing"
                    : java.util.Arrays.toString(y.shape())) + " for " + features.size(0) + " images, but must return ["
                    + features.size(0) + ", " + classes + "] (one row of " + classes + " outputs per image)");
        }
        return y;
    }

    /**
     * Loads ImageNet weights into the body: everything but the classifier of a torchvision/timm state dict, checked
     * name by name and shape by shape.
     */
    public void loadPretrainedBody(StateDict imagenetWeights, String source) {
        StateDict body3 = imagenetWeights.filter(name -> !architecture.isClassifier(name));
        StateDict weights = inChannels == 3 ? body3 : StemAdapter.toOneChannel(body3, architecture.stemConv(), source);
        ModuleState.load(body, weights, architecture + " body", source);
    }

    /**
     * What a pretrained classifier file for this model's body may hold (see {@link Weights#read(Path, ReadLimits)}):
     * measured on this body, so no other network is built (which would draw random numbers and shift a seeded run).
     */
    public ReadLimits pretrainedLimits() {
        return Weights.classifierLimits(ModuleState.limits(body, "a " + architecture.name()), architecture);
    }

    /** Loads a whole model's weights ({@code body.*} and {@code head.*}), e.g. from a model file. */
    public void load(StateDict weights, String source) {
        ModuleState.load(this, weights, architecture + " with a " + classes + "-class " + headName + " head", source);
    }

    /** A copy of every weight, named {@code body.*} and {@code head.*}. */
    public StateDict stateDict() {
        return ModuleState.of(this);
    }

    /**
     * Inference only: eval mode, and every BatchNorm folded into its neighbouring convolution or linear layer (the
     * body's conv→BN pairs into the conv, fastai's head's BN→linear pairs into the linear; a custom head is left as it
     * is). Outputs equal the unfolded model's in eval mode up to float rounding. Call after loading weights and
     * choosing the memory layout; the model cannot be trained afterwards.
     */
    public VisionModel foldBatchNorm() {
        body.foldBatchNorm();
        if (fastaiHead != null) {
            fastaiHead.foldBatchNorm();
        }
        eval();
        return this;
    }

    /** Channels-last weights and inputs (faster on CPU); returns this model. */
    public VisionModel channelsLast(boolean on) {
        body.channelsLast(on);
        return this;
    }

    /**
     * The parameters in fastai's three groups for discriminative learning rates — (stem, layer1,
     * layer2), (layer3, layer4), head. Each tensor is a new handle on the live parameter; create the groups outside
     * any step scope (or keep them), since they are meant to outlive it.
     */
    public List<List<dev.kodiak.tensor.Tensor>> parameterGroups() {
        return NativeTensors.wrapGroups(nativeParameterGroups());
    }

    private List<List<Tensor>> nativeParameterGroups() {
        List<List<Tensor>> groups = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        StringTensorDict params = named_parameters();
        for (long i = 0; i < params.size(); i++) {
            String name = params.get(i).key().getString();
            Tensor handle = new Tensor(params.get(i).value());
            if (name.startsWith("head.")) {
                groups.get(2).add(handle);
            } else if (architecture.firstGroup().stream().anyMatch(p -> name.startsWith("body." + p))) {
                groups.get(0).add(handle);
            } else {
                groups.get(1).add(handle);
            }
        }
        return groups;
    }
}
