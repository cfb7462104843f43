package dev.kodiak.vision.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.engine.Engine;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.MixedPrecision;
import dev.kodiak.learn.TaskDefaults;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.models.Architecture;
import dev.kodiak.models.HeadFactory;
import dev.kodiak.models.Heads;
import dev.kodiak.models.ResolvedWeights;
import dev.kodiak.models.VisionModel;
import dev.kodiak.models.Weights;
import dev.kodiak.models.WeightsConfig;
import dev.kodiak.models.WeightsRegistry;
import dev.kodiak.vision.transforms.Normalize;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * fastai's {@code vision_learner}: a pretrained architecture's body, a new head sized for the data's classes,
 * the three parameter groups, ImageNet normalization added to the data when the body is pretrained. The task, loss and
 * default metrics follow the data's target block ({@link TaskDefaults}): cross-entropy and error_rate for a
 * {@code CategoryBlock}, BCE with logits and accuracy_multi for a {@code MultiCategoryBlock}, MSE through
 * {@code sigmoid_range} and mae/rmse/r2 for a {@code RegressionBlock}.
 * <pre>{@code
 * Learner learn = VisionLearner.create(dls, Architectures.RESNET34, Metrics.errorRate());
 * learn.fineTune(4);
 * }</pre>
 */
public final class VisionLearner {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private VisionLearner() {
    }

    /** Pretrained weights when they can be had (see {@link PretrainedChoice#auto()}), fp32, channels-last. */
    public static Learner create(DataLoaders<?> dls, Architecture architecture, Metric... metrics) {
        return create(dls, architecture, VisionLearnerOptions.defaults().metrics(List.of(metrics)));
    }

    /**
     * fastai's head on a pretrained body; on a random body ({@code weights none}, or no weights to be had) the plain
     * head ({@link Heads#linear()}: average pooling and one linear layer), which learns far faster from scratch.
     */
    public static Learner create(DataLoaders<?> dls, Architecture architecture, VisionLearnerOptions options) {
        return build(dls, architecture, null, options);
    }

    /**
     * With a custom head on the body (fastai's {@code custom_head}): {@code head} makes it for the body's features
     * and the data's outputs. The model file records the head's name; a program that loads the file must know the
     * head (see {@link HeadFactory}).
     */
    public static Learner create(DataLoaders<?> dls, Architecture architecture, HeadFactory head,
                                 VisionLearnerOptions options) {
        return build(dls, architecture, java.util.Objects.requireNonNull(head, "head"), options);
    }

    // head null: chosen by whether the body is pretrained
    private static Learner build(DataLoaders<?> dls, Architecture architecture, HeadFactory chosen,
                                 VisionLearnerOptions options) {
        Optional<ResolvedWeights> weights = pretrained(architecture, options.weights(), options.weightsConfig(),
                options.warnings());
        HeadFactory head = chosen != null ? chosen : weights.isPresent() ? Heads.fastai() : Heads.linear();
        if (options.seed() != null) {
            Engine.seed(options.seed()); // weight initialisation of the head (and of a random body)
        }
        int outputs = dls.target().outputs();
        int channels = dls.input().channels(); // 1 for spectrograms: the ImageNet stem is adapted (fastai's n_in=1)
        VisionModel model = VisionModel.create(architecture, outputs, head, channels);
        weights.ifPresent(w -> model.loadPretrainedBody(Weights.read(w.file(), model.pretrainedLimits()),
                w.file().toString()));
        if (options.channelsLast()) {
            model.channelsLast(true);
        }
        if (!hasNormalize(dls)) {
            // fastai adds the pretrained statistics; a random body gets the same ImageNet stats so that the model
            // file always records one normalization and images arrive in a well-scaled range
            Normalize rgb = weights.map(w -> Normalize.of(floats(w.mean()), floats(w.std())))
                    .orElse(Normalize.imagenet());
            dls.addBatchTransform(channels == 3 ? rgb : Normalize.of(new float[] {mean(rgb.mean())},
                    new float[] {mean(rgb.std())}));
        }
        TaskDefaults task = TaskDefaults.decide(dls.datasets(), options.yRanges(), options.threshold(), options.loss(),
                options.metrics());
        Learner learn = Learner.builder(dls, new VisionNet(model)).metrics(task.metrics()).loss(task.loss())
                .optimizer(options.optimizer()).build();
        learn.task(task.task());
        if (options.bf16()) {
            learn.addCallback(new MixedPrecision());
        }
        learn.pretrainedWith(weights.map(ResolvedWeights::name).orElse("none"));
        learn.modelWriter(new dev.kodiak.learn.ModelWriter() {
            @Override
            public dev.kodiak.model.Manifest manifest(Learner l) {
                return ModelExport.manifest(l);
            }

            @Override
            public dev.kodiak.io.StateDict weights(Learner l) {
                return model(l).stateDict();
            }
        });
        return learn;
    }

    /** The model inside a vision learner (for export). */
    public static VisionModel model(Learner learn) {
        if (learn.model() instanceof VisionNet v) {
            return v.visionModel();
        }
        throw new KodiakException("this learner's model is not a vision model: " + learn.model().architectureName());
    }

    private static Optional<ResolvedWeights> pretrained(Architecture architecture, PretrainedChoice choice,
                                                        WeightsConfig config, Consumer<String> warnings) {
        if (choice.isNone()) {
            return Optional.empty();
        }
        if (!choice.isAuto()) {
            return Optional.of(Weights.resolve(choice.spec(), architecture, config));
        }
        var registered = WeightsRegistry.defaultFor(architecture);
        try {
            return Optional.of(Weights.resolve(registered.name(), config));
        } catch (KodiakException e) {
            warnings.accept("no pretrained weights for " + architecture.name() + ": " + e.getMessage()
                    + "\n  Training starts from random weights, so accuracy will be much lower than with transfer learning."
                    + "\n  To fix: `kodiak weights fetch " + registered.name() + "` on a machine with internet access, or"
                    + " download " + registered.url() + " and run `kodiak weights import FILE --arch "
                    + architecture.name() + "`.");
            return Optional.empty();
        }
    }

    private static boolean hasNormalize(DataLoaders<?> dls) {
        for (BatchTransform t : dls.batchTransforms()) {
            if (t instanceof Normalize) {
                return true;
            }
        }
        return false;
    }

    // one channel seen by the summed stem as a grey picture: the RGB statistics' average
    private static float mean(float[] values) {
        float sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static float[] floats(List<Double> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i).floatValue();
        }
        return f;
    }
}
