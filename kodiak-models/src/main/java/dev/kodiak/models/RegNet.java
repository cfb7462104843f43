package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * torchvision's RegNetY (Radosavovic et al. 2020) with torchvision's names: {@code stem} (3x3 convolution, stride 2,
 * ReLU), {@code trunk_output.block1 ... block4} four stages of residual bottleneck blocks named
 * {@code block<stage>-<index>} (the first of each with stride 2), then average pooling and {@code fc}. The stage
 * widths and depths are torchvision's for RegNetY-800MF (computed there from the RegNet parameters
 * {@code w_0 = 56, w_a = 38.84, w_m = 2.4, depth 14}); groups of 16 channels, squeeze-and-excitation to a quarter of
 * each block's input width. BatchNorm keeps PyTorch's defaults. Built with {@code classes == 0} it is the body:
 * {@code stem} and {@code trunk_output}.
 */
public final class RegNet extends Backbone {
    private static final int STEM = 32;
    private static final double SE_RATIO = 0.25;

    private final ConvNormActivation stem;
    private final List<RegNetBlock> blocks = new ArrayList<>();
    private final LinearImpl fc;

    private RegNet(Architecture architecture, List<Integer> widths, List<Integer> depths, int groupWidth,
            int inChannels, int classes) {
        super(architecture, classes);
        BatchNormSettings bn = BatchNormSettings.PYTORCH;
        stem = add("stem", new ConvNormActivation(inChannels, STEM, 3, 2, 1, bn, Activation.RELU));
        Module trunk = add("trunk_output", new Module());
        long in = STEM;
        for (int s = 0; s < widths.size(); s++) {
            Module stage = keep(trunk.register_module("block" + (s + 1), new Module()));
            long out = widths.get(s);
            for (int b = 0; b < depths.get(s); b++) {
                long squeeze = Math.round(SE_RATIO * in);
                blocks.add(keep(stage.register_module("block" + (s + 1) + "-" + b,
                        new RegNetBlock(in, out, b == 0 ? 2 : 1, Math.min(groupWidth, out), squeeze, bn))));
                in = out;
            }
        }
        fc = classes > 0 ? add("fc", new LinearImpl(in, classes)) : null;
        initialise();
    }

    /**
     * A RegNetY with torchvision's stage {@code widths} and {@code depths} and {@code groupWidth} channels per group;
     * fastai's first learning-rate group is the stem and the first two stages (up to stride 8), as for ResNet.
     */
    static Architecture architecture(String name, List<Integer> widths, List<Integer> depths, int groupWidth) {
        List<Integer> w = List.copyOf(widths);
        List<Integer> d = List.copyOf(depths);
        if (w.size() != 4 || d.size() != 4 || w.stream().anyMatch(x -> x % groupWidth != 0)) {
            throw new KodiakException("a RegNet has four stages whose widths are multiples of the group width");
        }
        return new Architecture(name, w.get(3), "fc", List.of("fc."),
                List.of("stem.", "trunk_output.block1.", "trunk_output.block2."), "stem.0.weight",
                (arch, in, classes) -> new RegNet(arch, w, d, groupWidth, in, classes));
    }

    @Override
    Tensor features(Tensor x) {
        return through(inLayout(x, stem::forward), blocks, RegNetBlock::forward);
    }

    @Override
    Tensor classify(Tensor features) {
        return fc.forward(torch.adaptive_avg_pool2d(features, 1, 1).flatten(1, -1));
    }

    @Override
    public RegNet channelsLast(boolean on) {
        super.channelsLast(on);
        return this;
    }

    /** Inference only: folds every BatchNorm into its convolution (see {@link Backbone#foldBatchNorm}). */
    @Override
    public RegNet foldBatchNorm() {
        stem.foldBatchNorm();
        blocks.forEach(RegNetBlock::foldBatchNorm);
        eval();
        return this;
    }

    // torchvision: convolutions normal(0, √(2/fan_out)) (= Kaiming fan-out), biases as PyTorch sets them; the linear
    // layer normal(0, 0.01), bias 0.
    private void initialise() {
        TorchvisionInit.convolutions(this, false);
        TorchvisionInit.linear(fc, 0.01);
    }
}
