package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.NativeModule;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import dev.kodiak.io.StateDict;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.FanModeType;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Nonlinearity;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.kFanOut;
import org.bytedeco.pytorch.kReLU;

/**
 * Internal: torchvision's ResNet, built from libtorch modules with exactly torchvision's parameter and buffer names
 * and shapes ({@code conv1, bn1, layer1.0.conv1, ..., layer2.0.downsample.0, ..., fc}), so torchvision and timm
 * weights load by name. Built with {@code classes == 0} it is the body fastai fine-tunes: no average pool, no fc.
 */
public final class ResNet extends NativeModule {
    private final Architecture architecture;
    private final int classes;
    private final Conv2dImpl conv1;
    private final BatchNorm2dImpl bn1;
    private final MaxPool2dImpl maxpool;
    private final List<List<ResidualBlock>> stages = new ArrayList<>();
    private final LinearImpl fc;
    private boolean channelsLast;
    private Conv2dImpl foldedStem; // conv1 with bn1 folded in, after foldBatchNorm()

    ResNet(Architecture architecture, int classes) {
        this(architecture, classes, 3);
    }

    /** With {@code inChannels} input channels (1 for spectrograms): only the stem's first convolution differs. */
    ResNet(Architecture architecture, int classes, int inChannels) {
        if (classes < 0 || classes > VisionModel.MAX_CLASSES) {
            throw new KodiakException("a classifier has between 0 (a body) and " + VisionModel.MAX_CLASSES
                    + " classes, got " + classes);
        }
        this.architecture = architecture;
        this.classes = classes;
        conv1 = add("conv1", ResidualBlock.conv(inChannels, 64, 7, 2, 3));
        bn1 = add("bn1", ResidualBlock.batchNorm(64));
        MaxPool2dOptions pool = new MaxPool2dOptions(new LongPointer(3L, 3L));
        pool.stride().put(new long[] {2, 2});
        pool.padding().put(new long[] {1, 1});
        maxpool = add("maxpool", new MaxPool2dImpl(pool));
        long in = 64;
        for (int s = 0; s < 4; s++) {
            long planes = 64L << s;
            ModuleListImpl layer = add("layer" + (s + 1), new ModuleListImpl());
            List<ResidualBlock> blocks = new ArrayList<>();
            for (int b = 0; b < architecture.blocksPerStage().get(s); b++) {
                long stride = s > 0 && b == 0 ? 2 : 1;
                blocks.add(append(layer, new ResidualBlock(in, planes, stride, architecture.bottleneck())));
                in = architecture.bottleneck() ? planes * ResidualBlock.BOTTLENECK_EXPANSION : planes;
            }
            stages.add(blocks);
        }
        fc = classes > 0 ? add("fc", new LinearImpl(in, classes)) : null;
        initialise();
    }

    /** The architecture this network was built for. */
    public Architecture architecture() {
        return architecture;
    }

    /** The number of outputs of {@code fc}; 0 for a body without it. */
    public int classes() {
        return classes;
    }

    /** The feature map after {@code layer4}: {@code [N, bodyFeatures, H/32, W/32]}. */
    public dev.kodiak.tensor.Tensor features(dev.kodiak.tensor.Tensor x) {
        return NativeTensors.wrap(features(NativeTensors.unwrap(x)));
    }

    /** {@link #features(dev.kodiak.tensor.Tensor)} on libtorch's tensors: the forward pass stays native. */
    Tensor features(Tensor x) {
        // each intermediate handle is released as soon as the next layer has it (see Tensors.release)
        Tensor input = channelsLast ? x.contiguous(torch.MemoryFormat.ChannelsLast) : x;
        Tensor stem;
        if (foldedStem != null) {
            stem = foldedStem.forward(input);
        } else {
            Tensor conv = conv1.forward(input);
            stem = bn1.forward(conv);
            Tensors.release(conv);
        }
        if (input != x) {
            Tensors.release(input);
        }
        stem.relu_();
        Tensor y = maxpool.forward(stem);
        Tensors.release(stem);
        for (List<ResidualBlock> stage : stages) {
            for (ResidualBlock block : stage) {
                Tensor next = block.forward(y);
                Tensors.release(y);
                y = next;
            }
        }
        return y;
    }

    /** The class scores (logits) {@code [N, classes]}: features, global average pool, {@code fc}. */
    public dev.kodiak.tensor.Tensor forward(dev.kodiak.tensor.Tensor x) {
        return NativeTensors.wrap(forward(NativeTensors.unwrap(x)));
    }

    /** {@link #forward(dev.kodiak.tensor.Tensor)} on libtorch's tensors. */
    Tensor forward(Tensor x) {
        if (fc == null) {
            throw new KodiakException("this " + architecture + " body has no classifier; use features(x)");
        }
        return fc.forward(torch.adaptive_avg_pool2d(features(x), 1, 1).flatten(1, -1));
    }

    /**
     * Stores the 4-D weights channels-last (NHWC) and feeds inputs that way: on CPUs with oneDNN this is faster
     * (ENGINE.md: 59 → 70 images/s training, 179 → 230 inference for ResNet-18). Returns this network.
     */
    public ResNet channelsLast(boolean on) {
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

    /**
     * Inference only: folds every BatchNorm into the convolution before it (same outputs in eval mode, one pass less
     * per layer). Call after loading the weights and after {@link #channelsLast}; the network cannot be trained
     * afterwards (its forward no longer reads the BatchNorm layers).
     */
    public ResNet foldBatchNorm() {
        foldedStem = keep(BatchNormFolding.conv(conv1, bn1));
        for (List<ResidualBlock> stage : stages) {
            for (ResidualBlock block : stage) {
                block.foldBatchNorm();
            }
        }
        eval();
        return this;
    }

    /** Whether weights and inputs are channels-last. */
    public boolean isChannelsLast() {
        return channelsLast;
    }

    /** Loads {@code weights} after checking every name and shape; {@code source} names the file in errors. */
    public void load(StateDict weights, String source) {
        ModuleState.load(this, weights, describe(), source);
    }

    String describe() {
        return architecture + (classes > 0 ? " with " + classes + " classes" : " body");
    }

    // torchvision: convolutions Kaiming-normal (fan out, ReLU); BatchNorm weight 1, bias 0 (libtorch's default);
    // the linear layer keeps libtorch's default, which is PyTorch's.
    private void initialise() {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            StringTensorDict params = named_parameters();
            for (long i = 0; i < params.size(); i++) {
                Tensor p = params.get(i).value();
                if (p.dim() == 4) {
                    torch.kaiming_normal_(p, 0.0, new FanModeType(new kFanOut()), new Nonlinearity(new kReLU()));
                }
            }
        }
    }
}
