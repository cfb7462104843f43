package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.layers.Layer;
import dev.kodiak.layers.Layers;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The heads this program knows, by the name a model file records: fastai's (the default) and custom ones, registered
 * with {@link #register} or found through {@link ServiceLoader} ({@code META-INF/services/} +
 * {@code dev.kodiak.models.HeadFactory}).
 */
public final class Heads {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** The name of fastai's head, Kodiak's default on pretrained bodies. */
    public static final String FASTAI = "fastai";
    /** The name of the plain head (global average pooling, one linear layer), Kodiak's default from scratch. */
    public static final String LINEAR = "linear";

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final HeadFactory FASTAI_HEAD = new HeadFactory() {
        @Override
        public String name() {
            return FASTAI;
        }

        @Override
        public Head create(int bodyFeatures, int outputs) {
            return new Head(bodyFeatures, outputs);
        }
    };
    private static final HeadFactory LINEAR_HEAD = new HeadFactory() {
        @Override
        public String name() {
            return LINEAR;
        }

        @Override
        public Layer create(int bodyFeatures, int outputs) {
            return Layers.sequential(Layers.avgPool(), Layers.linear(bodyFeatures, outputs));
        }
    };
    private static final Map<String, HeadFactory> REGISTERED = new ConcurrentHashMap<>();

    private Heads() {
    }

    /**
     * fastai's head: concat pooling → BatchNorm → dropout 0.25 → linear (512, no bias) → ReLU → BatchNorm → dropout
     * 0.5 → linear (no bias). Its BatchNorms are folded into the linear layers for inference.
     */
    public static HeadFactory fastai() {
        return FASTAI_HEAD;
    }

    /**
     * The network's own classifier shape, as torchvision builds it: global average pooling, then one linear layer with
     * a bias (parameters {@code 1.weight}, {@code 1.bias}). Kodiak's default for a random body ({@code --weights
     * none}): fastai's head is made to sit on a pretrained body, and from random weights it learns far slower — on the
     * demo regression task, 5 epochs of a plain PyTorch ResNet-18 reached R² 0.59 with this head and −3.1 with fastai's
     * (−1.6 without its dropout): bench/results/heads-from-scratch-2026-12-07-epyc.txt.
     */
    public static HeadFactory linear() {
        return LINEAR_HEAD;
    }

    /**
     * Makes {@code head} known by its name, so that {@code Predictor.load} can rebuild a model file that records it.
     * Registering the same class again is a no-op; another class under a taken name is an error.
     */
    public static void register(HeadFactory head) {
        String name = checkedName(head);
        if (FASTAI.equals(name) || LINEAR.equals(name)) {
            throw new KodiakException("the head name '" + name + "' is one of Kodiak's built-in heads: give "
                    + head.getClass().getName() + " another name");
        }
        HeadFactory before = REGISTERED.putIfAbsent(name, head);
        if (before != null && before.getClass() != head.getClass()) {
            throw new KodiakException("a head named '" + name + "' is already registered (" + before.getClass().getName()
                    + "): give " + head.getClass().getName() + " another name");
        }
    }

    /** The head a model file names; an unknown name is an error that says how to make it known. */
    public static HeadFactory byName(String name) {
        if (FASTAI.equals(name)) {
            return FASTAI_HEAD;
        }
        if (LINEAR.equals(name)) {
            return LINEAR_HEAD;
        }
        HeadFactory h = REGISTERED.get(name);
        if (h != null) {
            return h;
        }
        try {
            for (HeadFactory found : ServiceLoader.load(HeadFactory.class)) {
                if (name.equals(found.name())) {
                    return found;
                }
            }
        } catch (ServiceConfigurationError e) { // a listed class that is missing or cannot be made
            throw new KodiakException("looking for the head '" + name + "': a META-INF/services/"
                    + HeadFactory.class.getName() + " entry cannot be loaded: " + e.getMessage()
                    + " (a listed factory needs a public no-argument constructor)", e);
        }
        throw new KodiakException("the custom head '" + name + "' is not known to this program. A custom head is"
                + " code, not data: put the jar with its HeadFactory on the class path and list the class in"
                + " META-INF/services/" + HeadFactory.class.getName() + ", or call Heads.register(new YourHead())"
                + " before loading the model");
    }

    static String checkedName(HeadFactory head) {
        String name = head.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new KodiakException("the head " + head.getClass().getName() + " is named '" + name
                    + "': a head's name is 1 to 64 lowercase letters, digits, '_', '-' or '.'");
        }
        return name;
    }
}
