package dev.kodiak.vision.learn;

import dev.kodiak.engine.Precision;
import dev.kodiak.engine.PrecisionChoice;
import dev.kodiak.learn.loss.Loss;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.learn.optim.OptimizerFactory;
import dev.kodiak.learn.optim.Optimizers;
import dev.kodiak.models.WeightsConfig;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * The choices of a vision learner beyond data and architecture.
 *
 * @param weights       which pretrained weights (default {@code auto})
 * @param weightsConfig cache folder, offline flag, mirror (default: from the environment)
 * @param metrics       shown per epoch, computed over the whole validation set
 * @param loss          null: follows the target (cross-entropy, BCE with logits, MSE)
 * @param optimizer     default AdamW with fastai's settings
 * @param bf16          bf16 autocast for forward passes (mixed precision); {@link #precision} decides it for this CPU
 * @param channelsLast  channels-last memory layout (faster convolutions on CPU)
 * @param seed          seeds weight initialisation; null leaves libtorch's generator as it is
 * @param warnings      where loud warnings go (default: SLF4J, as warnings of {@link VisionLearner}'s logger)
 */
public record VisionLearnerOptions(PretrainedChoice weights, WeightsConfig weightsConfig, List<Metric> metrics,
                                   Loss loss, OptimizerFactory optimizer, boolean bf16, boolean channelsLast,
                                   Long seed, Consumer<String> warnings) {
    public VisionLearnerOptions {
        metrics = List.copyOf(metrics);
    }

    public static VisionLearnerOptions defaults() {
        return new VisionLearnerOptions(PretrainedChoice.auto(), WeightsConfig.fromEnvironment(), List.of(), null,
                Optimizers.adamW(), false, true, null, VisionLearnerOptions::logWarning);
    }

    // The logger is made at the first warning, so that SLF4J says nothing in programs that never warn.
    private static void logWarning(String message) {
        LoggerFactory.getLogger(VisionLearner.class).warn("{}", message);
    }

    public VisionLearnerOptions weights(PretrainedChoice weights) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings);
    }

    public VisionLearnerOptions weightsConfig(WeightsConfig weightsConfig) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings);
    }

    public VisionLearnerOptions metrics(List<Metric> metrics) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings);
    }

    public VisionLearnerOptions loss(Loss loss) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings);
    }

    public VisionLearnerOptions optimizer(OptimizerFactory optimizer) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings);
    }

    public VisionLearnerOptions bf16(boolean bf16) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings);
    }

    /**
     * bf16 autocast or float32 as {@code precision} means on this machine's CPU ({@code AUTO}: bf16 only where it
     * runs in hardware, as {@code kodiak train} does by default). {@link PrecisionChoice#forHost} says what it chose
     * and why.
     */
    public VisionLearnerOptions precision(Precision precision) {
        return bf16(PrecisionChoice.forHost(precision).bf16());
    }

    public VisionLearnerOptions channelsLast(boolean channelsLast) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings);
    }

    public VisionLearnerOptions seed(Long seed) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings);
    }

    public VisionLearnerOptions warnings(Consumer<String> warnings) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings);
    }
}
