package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.IdentityImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's MobileNetV3-Large (Howard et al. 2019) with torchvision's names: {@code features.0} the stem (3x3
 * convolution, stride 2, hard swish), {@code features.1 ... features.15} inverted residual blocks (ReLU or hard swish;
 * some with squeeze-and-excitation: ReLU, hard sigmoid, squeezing to a quarter of the expanded channels rounded to 8),
 * {@code features.16} a 1x1 convolution to 960 channels; then average pooling and the classifier
 * {@code classifier.0} (linear to 1280, hard swish, dropout) and {@code classifier.3}. BatchNorm as torchvision sets
 * it for this family: eps 1e-3, momentum 0.01. Built with {@code classes == 0} it is the body: {@code features} only.
 */
public final class MobileNetV3 extends Backbone {
    /**
     * One inverted residual block of MobileNetV3-Large as torchvision's table has it.
     *
     * @param kernel    the depthwise kernel (3 or 5)
     * @param expanded  the channels after the 1x1 expansion
     * @param out       the output channels
     * @param se        whether it has squeeze-and-excitation
     * @param hardSwish hard swish (true) or ReLU (false)
     * @param stride    1 or 2
     */
    public record Block(int kernel, int expanded, int out, boolean se, boolean hardSwish, int stride) {
        public Block {
            if (kernel % 2 != 1 || expanded < 1 || out < 1 || stride < 1 || stride > 2) {
                throw new KodiakException("an inverted residual block needs an odd kernel, positive channels and"
                        + " stride 1 or 2");
            }
        }
    }

    /** torchvision's {@code features.1 ... features.15} of MobileNetV3-Large (input channels: 16, then each out). */
    public static final List<Block> LARGE = List.of(
            new Block(3, 16, 16, false, false, 1), new Block(3, 64, 24, false, false, 2),
            new Block(3, 72, 24, false, false, 1), new Block(5, 72, 40, true, false, 2),
            new Block(5, 120, 40, true, false, 1), new Block(5, 120, 40, true, false, 1),
            new Block(3, 240, 80, false, true, 2), new Block(3, 200, 80, false, true, 1),
            new Block(3, 184, 80, false, true, 1), new Block(3, 184, 80, false, true, 1),
            new Block(3, 480, 112, true, true, 1), new Block(3, 672, 112, true, true, 1),
            new Block(5, 672, 160, true, true, 2), new Block(5, 960, 160, true, true, 1),
            new Block(5, 960, 160, true, true, 1));
    private static final int STEM = 16;
    private static final int LAST = 960;
    private static final int CLASSIFIER_HIDDEN = 1280;
    private static final double DROPOUT = 0.2;

    private final ConvNormActivation stem;
    private final List<InvertedResidual> blocks = new ArrayList<>();
    private final ConvNormActivation head;
    private final LinearImpl hidden;
    private final LinearImpl classifier;

    private MobileNetV3(Architecture architecture, int inChannels, int classes) {
        super(architecture, classes);
        BatchNormSettings bn = BatchNormSettings.MOBILENET_V3;
        ModuleListImpl features = add("features", new ModuleListImpl());
        stem = append(features, new ConvNormActivation(inChannels, STEM, 3, 2, 1, bn, Activation.HARDSWISH));
        long in = STEM;
        for (Block b : LARGE) {
            SqueezeExcitation se = b.se() ? new SqueezeExcitation(b.expanded(), EfficientNet.divisible(b.expanded() / 4),
                    Activation.RELU, Activation.HARDSIGMOID) : null;
            blocks.add(append(features, new InvertedResidual(in, b.expanded(), b.out(), b.kernel(), b.stride(),
                    b.hardSwish() ? Activation.HARDSWISH : Activation.RELU, se, 0, bn)));
            in = b.out();
        }
        head = append(features, new ConvNormActivation(in, LAST, 1, 1, 1, bn, Activation.HARDSWISH));
        if (classes > 0) {
            ModuleListImpl c = add("classifier", new ModuleListImpl());
            hidden = append(c, new LinearImpl(LAST, CLASSIFIER_HIDDEN));
            // indices 1 and 2 hold torchvision's hard swish and dropout, which have no weights: classify applies them
            append(c, new IdentityImpl());
            append(c, new DropoutImpl(DROPOUT));
            classifier = append(c, new LinearImpl(CLASSIFIER_HIDDEN, classes));
        } else {
            hidden = null;
            classifier = null;
        }
        initialise();
    }

    /**
     * torchvision's MobileNetV3-Large; fastai's first learning-rate group is the stem and the blocks up to stride 8
     * ({@code features.0-6}), as for ResNet (stem, layer1, layer2).
     */
    static Architecture architecture(String name) {
        List<String> first = new ArrayList<>();
        for (int i = 0; i <= 6; i++) {
            first.add("features." + i + ".");
        }
        return new Architecture(name, LAST, "classifier.3", List.of("classifier."), first, "features.0.0.weight",
                (arch, in, classes) -> new MobileNetV3(arch, in, classes));
    }

    @Override
    Tensor features(Tensor x) {
        return then(through(inLayout(x, stem::forward), blocks, InvertedResidual::forward), head::forward);
    }

    @Override
    Tensor classify(Tensor features) {
        Tensor h = hidden.forward(torch.adaptive_avg_pool2d(features, 1, 1).flatten(1, -1));
        torch.hardswish_(h);
        return classifier.forward(torch.dropout(h, DROPOUT, is_training()));
    }

    @Override
    public MobileNetV3 channelsLast(boolean on) {
        super.channelsLast(on);
        return this;
    }

    /** Inference only: folds every BatchNorm into its convolution (see {@link Backbone#foldBatchNorm}). */
    @Override
    public MobileNetV3 foldBatchNorm() {
        stem.foldBatchNorm();
        blocks.forEach(InvertedResidual::foldBatchNorm);
        head.foldBatchNorm();
        eval();
        return this;
    }

    // torchvision: convolutions Kaiming-normal (fan out), their biases 0; linear layers normal(0, 0.01), bias 0.
    private void initialise() {
        TorchvisionInit.convolutions(this, true);
        TorchvisionInit.linear(hidden, 0.01);
        TorchvisionInit.linear(classifier, 0.01);
    }
}
