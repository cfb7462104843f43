package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A weights file found on disk, with what is known about it.
 *
 * @param file         the file to read
 * @param name         the registry or cache name, or the file name for an explicit file
 * @param architecture the architecture it was made for, when the registry or cache index says so
 * @param mean         normalisation mean (ImageNet's unless the registry says otherwise)
 * @param std          normalisation standard deviation
 * @param resizeSize   shorter side before the centre crop
 * @param inputSize    the square input size
 * @param interpolation the resampling filter the publisher evaluated with ({@code bilinear} unless known)
 */
public record ResolvedWeights(Path file, String name, Optional<Architecture> architecture, List<Double> mean,
        List<Double> std, int resizeSize, int inputSize, String interpolation) {
    /** Weights evaluated with bilinear resizing. */
    public ResolvedWeights(Path file, String name, Optional<Architecture> architecture, List<Double> mean,
            List<Double> std, int resizeSize, int inputSize) {
        this(file, name, architecture, mean, std, resizeSize, inputSize, "bilinear");
    }

    public ResolvedWeights {
        if (file == null || name == null || architecture == null) {
            throw new KodiakException("resolved weights need a file, a name and an (optional) architecture");
        }
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        interpolation = interpolation == null ? "bilinear" : interpolation;
    }

    /**
     * These weights, refused with the {@code --arch} to use when they are known to be for another architecture than
     * {@code wanted}.
     */
    public ResolvedWeights requireFor(Architecture wanted) {
        architecture.filter(a -> !a.equals(wanted)).ifPresent(a -> {
            throw new KodiakException("the weights " + name + " are for " + a + ", not " + wanted + "; use --arch " + a);
        });
        return this;
    }

    /** The weights of a registry entry, found at {@code file}. */
    public static ResolvedWeights of(Path file, PretrainedWeights w) {
        return new ResolvedWeights(file, w.name(), Optional.of(w.architecture()), w.mean(), w.std(), w.resizeSize(),
                w.inputSize(), w.interpolation());
    }

    /**
     * A file that says nothing of its preprocessing: the preprocessing of {@code architecture}'s default registry weights
     * (what the publisher evaluated that network with: EfficientNet-B3 at 300 px after 320, bicubic), or ImageNet's
     * torchvision defaults (resize 256, crop 224, bilinear, ImageNet mean/std) when the architecture is not known.
     */
    static ResolvedWeights assumed(Path file, String name, Optional<Architecture> architecture) {
        if (architecture.isPresent()) {
            PretrainedWeights w = WeightsRegistry.defaultFor(architecture.get());
            return new ResolvedWeights(file, name, architecture, w.mean(), w.std(), w.resizeSize(), w.inputSize(),
                    w.interpolation());
        }
        return new ResolvedWeights(file, name, architecture, WeightsRegistry.IMAGENET_MEAN, WeightsRegistry.IMAGENET_STD,
                256, 224);
    }
}
