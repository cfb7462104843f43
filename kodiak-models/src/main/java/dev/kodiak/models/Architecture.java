package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import java.util.List;

/**
 * A network shape Kodiak can build, by name: torchvision's ResNet family. {@code bodyFeatures} is the number of
 * channels the body hands to the head (fastai's {@code nf}): 512 for ResNet-18/34, 2048 for ResNet-50.
 */
public record Architecture(String name, boolean bottleneck, List<Integer> blocksPerStage, int bodyFeatures) {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    public Architecture {
        if (name == null || name.isBlank()) {
            throw new KodiakException("an architecture needs a name");
        }
        blocksPerStage = List.copyOf(blocksPerStage);
        if (blocksPerStage.size() != 4 || blocksPerStage.stream().anyMatch(n -> n < 1)) {
            throw new KodiakException("a ResNet has four stages of at least one block, got " + blocksPerStage);
        }
        int expected = 512 * (bottleneck ? 4 : 1);
        if (bodyFeatures != expected) {
            throw new KodiakException("a ResNet " + (bottleneck ? "with" : "without") + " bottlenecks has "
                    + expected + " body features, not " + bodyFeatures);
        }
    }

    /** A freshly initialised ImageNet-shaped classifier with torchvision's layout (internal: a libtorch module). */
    public ResNet newClassifier(int classes) {
        return new ResNet(this, classes);
    }

    /** A fine-tuning model: this architecture's body and fastai's head for {@code classes} outputs. */
    public VisionModel newVisionModel(int classes) {
        return VisionModel.create(this, classes);
    }

    @Override
    public String toString() {
        return name;
    }
}
