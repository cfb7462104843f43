package dev.kodiak.models;

import dev.kodiak.engine.StepScope;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's EfficientNet (V1, Tan &amp; Le 2019) with torchvision's names: {@code features.0} the stem (3x3
 * convolution, stride 2, SiLU), {@code features.1 ... features.7} seven stages of mobile inverted bottlenecks
 * ({@code MBConv}: an inverted residual with SiLU and squeeze-and-excitation to a quarter of the block's input),
 * {@code features.8} a 1x1 convolution to four times the last stage's channels; then average pooling and
 * {@code classifier.1} (after dropout). B0 is the base; larger variants widen every stage by a width multiplier
 * (channels rounded to multiples of 8, as torchvision) and deepen it by a depth multiplier (rounded up). Stochastic
 * depth grows linearly from 0 to 0.2 over the blocks. BatchNorm keeps PyTorch's defaults (eps 1e-5, momentum 0.1),
 * as torchvision's B0-B7 do. Built with {@code classes == 0} it is the body: {@code features} only.
 */
public final class EfficientNet extends Backbone {
    /** The stride of each of the seven stages' first block (torchvision's table; the others have stride 1). */
    public static final List<Integer> STAGE_STRIDES = List.of(1, 2, 2, 2, 1, 2, 1);
    // per stage: expand ratio, kernel, input channels, output channels, blocks (for B0)
    private static final int[][] STAGES = {
        {1, 3, 32, 16, 1}, {6, 3, 16, 24, 2}, {6, 5, 24, 40, 2}, {6, 3, 40, 80, 3},
        {6, 5, 80, 112, 3}, {6, 5, 112, 192, 4}, {6, 3, 192, 320, 1},
    };
    private static final double STOCHASTIC_DEPTH = 0.2;

    private final ConvNormActivation stem;
    private final List<InvertedResidual> blocks = new ArrayList<>();
    private final ConvNormActivation head;
    private final double dropout;
    private final LinearImpl classifier;

    private EfficientNet(Architecture architecture, double width, double depth, double dropout, int inChannels,
            int classes) {
        super(architecture, classes);
        BatchNormSettings bn = BatchNormSettings.PYTORCH;
        ModuleListImpl features = add("features", new ModuleListImpl());
        long stemOut = divisible(STAGES[0][2] * width);
        stem = append(features, new ConvNormActivation(inChannels, stemOut, 3, 2, 1, bn, Activation.SILU));
        int total = 0;
        for (int[] s : STAGES) {
            total += depth(s[4], depth);
        }
        long in = stemOut;
        for (int s = 0; s < STAGES.length; s++) {
            ModuleListImpl stage = append(features, new ModuleListImpl());
            long out = divisible(STAGES[s][3] * width);
            for (int b = 0; b < depth(STAGES[s][4], depth); b++) {
                double drop = STOCHASTIC_DEPTH * blocks.size() / total;
                long expanded = divisible(in * STAGES[s][0]);
                SqueezeExcitation se = new SqueezeExcitation(expanded, Math.max(1, in / 4), Activation.SILU,
                        Activation.SIGMOID);
                blocks.add(append(stage, new InvertedResidual(in, expanded, out, STAGES[s][1],
                        b == 0 ? STAGE_STRIDES.get(s) : 1, Activation.SILU, se, drop, bn)));
                in = out;
            }
        }
        head = append(features, new ConvNormActivation(in, 4 * in, 1, 1, 1, bn, Activation.SILU));
        this.dropout = dropout;
        if (classes > 0) {
            ModuleListImpl c = add("classifier", new ModuleListImpl());
            append(c, new DropoutImpl(dropout)); // index 0, as torchvision's; no weights
            classifier = append(c, new LinearImpl(4 * in, classes));
        } else {
            classifier = null;
        }
        initialise();
    }

    /**
     * torchvision's EfficientNet with width and depth multipliers ({@code 1.0, 1.0} for B0, {@code 1.2, 1.4} for
     * B3) and the classifier's dropout; fastai's first learning-rate group is the stem and the stages up to stride 8
     * ({@code features.0-3}), as for ResNet (stem, layer1, layer2).
     */
    static Architecture architecture(String name, double width, double depth, double dropout) {
        int features = (int) (4 * divisible(STAGES[STAGES.length - 1][3] * width));
        return new Architecture(name, features, "classifier.1", List.of("classifier."),
                List.of("features.0.", "features.1.", "features.2.", "features.3."), "features.0.0.weight",
                (arch, in, classes) -> new EfficientNet(arch, width, depth, dropout, in, classes));
    }

    /** {@code channels} rounded to the nearest multiple of 8, never more than 10% down (torchvision's rule). */
    static long divisible(double channels) {
        long rounded = Math.max(8, (long) (channels + 4) / 8 * 8);
        return rounded < 0.9 * channels ? rounded + 8 : rounded;
    }

    private static int depth(int blocks, double multiplier) {
        return (int) Math.ceil(blocks * multiplier);
    }

    @Override
    Tensor features(Tensor x) {
        return then(through(inLayout(x, stem::forward), blocks, InvertedResidual::forward), head::forward);
    }

    @Override
    Tensor classify(Tensor features) {
        Tensor pooled = torch.adaptive_avg_pool2d(features, 1, 1).flatten(1, -1);
        return classifier.forward(torch.dropout(pooled, dropout, is_training()));
    }

    @Override
    public EfficientNet channelsLast(boolean on) {
        super.channelsLast(on);
        return this;
    }

    /** Inference only: folds every BatchNorm into its convolution (see {@link Backbone#foldBatchNorm}). */
    @Override
    public EfficientNet foldBatchNorm() {
        stem.foldBatchNorm();
        blocks.forEach(InvertedResidual::foldBatchNorm);
        head.foldBatchNorm();
        eval();
        return this;
    }

    // torchvision: convolutions Kaiming-normal (fan out), their biases 0; the linear layer uniform in ±1/√classes,
    // bias 0; BatchNorm weight 1, bias 0 (libtorch's default).
    private void initialise() {
        TorchvisionInit.convolutions(this, true);
        if (classifier != null) {
            try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
                double range = 1 / Math.sqrt(classifier.weight().size(0));
                classifier.weight().uniform_(-range, range, new GeneratorOptional());
                classifier.bias().zero_();
            }
        }
    }
}
