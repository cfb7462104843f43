package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import java.util.List;
import java.util.Objects;

/**
 * A network shape Kodiak can build, by name, and what fine-tuning needs to know about it.
 *
 * @param name the name the CLI and the model file use ({@code resnet34}, {@code convnext_tiny}, ...)
 * @param bodyFeatures the channels the body hands to the head (fastai's {@code nf}): 512 for ResNet-18/34
 * @param classifierLayer the source's last linear layer ({@code fc} for ResNet): its rows are the classes
 * @param classifierPrefixes parameter-name prefixes of the source's classifier, which the body does not have
 *     ({@code fc.} for ResNet)
 * @param firstGroup parameter-name prefixes of the body in fastai's first learning-rate group (the stem and the
 *     early stages), the rest of the body forming the second
 * @param stemConv the first convolution's weight, whose input channels adapt to 1-channel inputs
 * @param factory builds the network: {@code classes == 0} gives the body
 */
public record Architecture(String name, int bodyFeatures, String classifierLayer, List<String> classifierPrefixes,
        List<String> firstGroup, String stemConv, Factory factory) {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** How an architecture builds its network. */
    @FunctionalInterface
    public interface Factory {
        /** A freshly initialised network for {@code inChannels}-channel images with {@code classes} outputs. */
        Backbone build(Architecture architecture, int inChannels, int classes);
    }

    public Architecture {
        if (name == null || name.isBlank()) {
            throw new KodiakException("an architecture needs a name");
        }
        if (bodyFeatures < 1) {
            throw new KodiakException("the architecture " + name + " needs a positive number of body features");
        }
        classifierPrefixes = List.copyOf(classifierPrefixes);
        firstGroup = List.copyOf(firstGroup);
        Objects.requireNonNull(classifierLayer, "classifierLayer");
        Objects.requireNonNull(stemConv, "stemConv");
        Objects.requireNonNull(factory, "factory");
    }

    /** A freshly initialised ImageNet-shaped classifier in its source's layout (internal: a libtorch module). */
    public Backbone newClassifier(int classes) {
        return factory.build(this, 3, classes);
    }

    /** A freshly initialised body (no pooling, no classifier) for {@code inChannels}-channel inputs. */
    public Backbone newBody(int inChannels) {
        if (inChannels < 1) {
            throw new KodiakException("a network needs at least one input channel, got " + inChannels);
        }
        return factory.build(this, inChannels, 0);
    }

    /** A fine-tuning model: this architecture's body and fastai's head for {@code classes} outputs. */
    public VisionModel newVisionModel(int classes) {
        return VisionModel.create(this, classes);
    }

    /** Whether {@code parameter} belongs to the source's classifier rather than the body. */
    public boolean isClassifier(String parameter) {
        return classifierPrefixes.stream().anyMatch(parameter::startsWith);
    }

    @Override
    public String toString() {
        return name;
    }
}
