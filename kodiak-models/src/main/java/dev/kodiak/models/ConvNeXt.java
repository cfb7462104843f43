package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.StepScope;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.IdentityImpl;
import org.bytedeco.pytorch.LayerNormImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringTensorDict;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: torchvision's ConvNeXt (Liu et al., 2022, "A ConvNet for the 2020s") with exactly torchvision's parameter
 * names and shapes, so its weights load by name: {@code features.0} the stem (4x4 convolution, stride 4, then
 * LayerNorm2d), {@code features.1, 3, 5, 7} the four stages of blocks ({@code ConvNeXtBlock}), {@code features.2, 4, 6} the
 * downsampling between them (LayerNorm2d, then 2x2 convolution, stride 2), and {@code classifier.0} (LayerNorm2d)
 * and {@code classifier.2} (linear) after the average pool.
 *
 * <p>The body fastai fine-tunes is {@code features}: it stops before the classifier's LayerNorm, as fastai's cut of
 * torchvision's model (at the pooling layer) and timm's {@code forward_features} (whose ConvNeXt keeps that norm in
 * its head) both do. fastai's head normalises the pooled features with its own BatchNorm, so nothing is lost.
 */
public final class ConvNeXt extends Backbone {
    private static final int STAGES = 4;
    private static final double LAYER_SCALE = 1e-6;

    private final Conv2dImpl stemConv;
    private final LayerNormImpl stemNorm;
    private final List<List<ConvNeXtBlock>> stages = new ArrayList<>();
    private final List<LayerNormImpl> downNorms = new ArrayList<>();
    private final List<Conv2dImpl> downConvs = new ArrayList<>();
    private final LayerNormImpl headNorm;
    private final LinearImpl head;

    private ConvNeXt(Architecture architecture, List<Integer> depths, List<Integer> widths, double stochasticDepth,
            int inChannels, int classes) {
        super(architecture, classes);
        ModuleListImpl features = add("features", new ModuleListImpl());
        ModuleListImpl stem = append(features, new ModuleListImpl());
        stemConv = append(stem, conv(inChannels, widths.get(0), 4));
        stemNorm = append(stem, LayerNorms.over(widths.get(0)));
        int total = depths.stream().mapToInt(Integer::intValue).sum();
        int index = 0;
        for (int s = 0; s < STAGES; s++) {
            ModuleListImpl stage = append(features, new ModuleListImpl());
            List<ConvNeXtBlock> blocks = new ArrayList<>();
            for (int b = 0; b < depths.get(s); b++) {
                // torchvision: the drop probability grows linearly from 0 (first block) to stochasticDepth (last)
                double p = stochasticDepth * index++ / (total - 1.0);
                blocks.add(append(stage, new ConvNeXtBlock(widths.get(s), LAYER_SCALE, p)));
            }
            stages.add(blocks);
            if (s < STAGES - 1) {
                ModuleListImpl down = append(features, new ModuleListImpl());
                downNorms.add(append(down, LayerNorms.over(widths.get(s))));
                downConvs.add(append(down, conv(widths.get(s), widths.get(s + 1), 2)));
            }
        }
        if (classes > 0) {
            ModuleListImpl classifier = add("classifier", new ModuleListImpl());
            headNorm = append(classifier, LayerNorms.over(widths.get(STAGES - 1)));
            append(classifier, new IdentityImpl()); // torchvision's Flatten
            head = append(classifier, new LinearImpl(widths.get(STAGES - 1), classes));
        } else {
            headNorm = null;
            head = null;
        }
        initialise();
    }

    /**
     * torchvision's ConvNeXt with {@code depths} blocks and {@code widths} channels in its four stages and stochastic
     * depth up to {@code stochasticDepth}; fastai's first learning-rate group is the stem and the first two stages
     * (with the downsampling between them), as for ResNet.
     */
    static Architecture architecture(String name, List<Integer> depths, List<Integer> widths, double stochasticDepth) {
        List<Integer> d = List.copyOf(depths);
        List<Integer> w = List.copyOf(widths);
        if (d.size() != STAGES || w.size() != STAGES || d.stream().anyMatch(n -> n < 1)
                || w.stream().anyMatch(n -> n < 1)) {
            throw new KodiakException("a ConvNeXt has four stages of at least one block and one channel, got depths "
                    + d + " and widths " + w);
        }
        return new Architecture(name, w.get(STAGES - 1), "classifier.2", List.of("classifier."),
                List.of("features.0.", "features.1.", "features.2.", "features.3."), "features.0.0.weight",
                (arch, in, classes) -> new ConvNeXt(arch, d, w, stochasticDepth, in, classes));
    }

    @Override
    Tensor features(Tensor x) {
        Tensor y = then(inLayout(x, stemConv::forward), conv -> LayerNorms.channels(stemNorm, conv));
        for (int s = 0; s < STAGES; s++) {
            y = through(y, stages.get(s), ConvNeXtBlock::forward);
            if (s < STAGES - 1) {
                LayerNormImpl norm = downNorms.get(s);
                y = then(then(y, t -> LayerNorms.channels(norm, t)), downConvs.get(s)::forward);
            }
        }
        return y;
    }

    @Override
    Tensor classify(Tensor features) {
        // pool, then classifier.0's LayerNorm2d on the 1x1 map: the norm over C of each pooled vector
        Tensor pooled = torch.adaptive_avg_pool2d(features, 1, 1).flatten(1, -1);
        return head.forward(headNorm.forward(pooled));
    }

    @Override
    public ConvNeXt channelsLast(boolean on) {
        super.channelsLast(on);
        return this;
    }

    private static Conv2dImpl conv(long in, long out, long kernel) {
        Conv2dOptions o = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
        o.stride().put(new long[] {kernel, kernel}); // patchify: stride = kernel, no padding
        return new Conv2dImpl(o);
    }

    // torchvision: convolution and linear weights from a normal of std 0.02 truncated at ±2 (absolute, so ±100
    // standard deviations: a plain normal), all biases zero; LayerNorm weights 1 (libtorch's default, as PyTorch's);
    // layer scale 1e-6.
    private void initialise() {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            StringTensorDict params = named_parameters();
            for (long i = 0; i < params.size(); i++) {
                String name = params.get(i).key().getString();
                Tensor p = params.get(i).value();
                if (name.endsWith(".weight") && p.dim() >= 2) {
                    torch.normal_(p, 0.0, 0.02);
                } else if (name.endsWith(".bias")) {
                    p.zero_();
                }
            }
        }
    }
}
