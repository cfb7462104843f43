package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;
import org.bytedeco.pytorch.ModuleListImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: torchvision's ResNet, built from libtorch modules with exactly torchvision's parameter and buffer names
 * and shapes ({@code conv1, bn1, layer1.0.conv1, ..., layer2.0.downsample.0, ..., fc}), so torchvision and timm
 * weights load by name. Built with {@code classes == 0} it is the body fastai fine-tunes: no average pool, no fc.
 */
public final class ResNet extends Backbone {
    private final Conv2dImpl conv1;
    private final BatchNorm2dImpl bn1;
    private final MaxPool2dImpl maxpool;
    private final List<List<ResidualBlock>> stages = new ArrayList<>();
    private final LinearImpl fc;
    private Conv2dImpl foldedStem; // conv1 with bn1 folded in, after foldBatchNorm()

    private ResNet(Architecture architecture, boolean bottleneck, List<Integer> blocksPerStage, int inChannels,
            int classes) {
        super(architecture, classes);
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
            for (int b = 0; b < blocksPerStage.get(s); b++) {
                long stride = s > 0 && b == 0 ? 2 : 1;
                blocks.add(append(layer, new ResidualBlock(in, planes, stride, bottleneck)));
                in = bottleneck ? planes * ResidualBlock.BOTTLENECK_EXPANSION : planes;
            }
            stages.add(blocks);
        }
        fc = classes > 0 ? add("fc", new LinearImpl(in, classes)) : null;
        initialise();
    }

    /**
     * torchvision's ResNet with {@code blocksPerStage} blocks in its four stages, basic or bottleneck; fastai's first
     * learning-rate group is the stem, layer1 and layer2.
     */
    static Architecture architecture(String name, boolean bottleneck, List<Integer> blocksPerStage) {
        List<Integer> blocks = List.copyOf(blocksPerStage);
        if (blocks.size() != 4 || blocks.stream().anyMatch(n -> n < 1)) {
            throw new KodiakException("a ResNet has four stages of at least one block, got " + blocks);
        }
        int features = 512 * (bottleneck ? ResidualBlock.BOTTLENECK_EXPANSION : 1);
        return new Architecture(name, features, "fc", List.of("fc."), List.of("conv1.", "bn1.", "layer1.", "layer2."),
                "conv1.weight", (arch, in, classes) -> new ResNet(arch, bottleneck, blocks, in, classes));
    }

    @Override
    Tensor features(Tensor x) {
        Tensor stem = foldedStem != null ? inLayout(x, foldedStem::forward)
                : then(inLayout(x, conv1::forward), bn1::forward);
        stem.relu_();
        Tensor y = then(stem, maxpool::forward);
        for (List<ResidualBlock> stage : stages) {
            y = through(y, stage, ResidualBlock::forward);
        }
        return y;
    }

    @Override
    Tensor classify(Tensor features) {
        return fc.forward(torch.adaptive_avg_pool2d(features, 1, 1).flatten(1, -1));
    }

    @Override
    public ResNet channelsLast(boolean on) {
        super.channelsLast(on);
        return this;
    }

    /**
     * Inference only: folds every BatchNorm into the convolution before it (same outputs in eval mode, one pass less
     * per layer). Call after loading the weights and after {@link #channelsLast}; the network cannot be trained
     * afterwards (its forward no longer reads the BatchNorm layers).
     */
    @Override
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

    // torchvision: convolutions Kaiming-normal (fan out, ReLU); BatchNorm weight 1, bias 0 (libtorch's default);
    // the linear layer keeps libtorch's default, which is PyTorch's.
    private void initialise() {
        TorchvisionInit.convolutions(this, false); // its convolutions have no biases
    }
}
