package dev.kodiak.vision.learn;

import dev.kodiak.engine.Precision;
import dev.kodiak.engine.PrecisionChoice;
import dev.kodiak.learn.TaskDefaults;
import dev.kodiak.learn.YRange;
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
 * @param metrics       shown per epoch, computed over the whole validation set; empty: the target's defaults
 *                      ({@link TaskDefaults}: error_rate and accuracy; accuracy_multi, f1_samples and f1_macro;
 *                      mae, rmse and r2)
 * @param loss          null: follows the target (cross-entropy, BCE with logits, MSE)
 * @param optimizer     default AdamW with fastai's settings
 * @param bf16          bf16 autocast for forward passes (mixed precision); {@link #precision} decides it for this CPU
 * @param channelsLast  channels-last memory layout (faster convolutions on CPU)
 * @param seed          seeds weight initialisation; null leaves libtorch's generator as it is
 * @param warnings      where loud warnings go (default: SLF4J, as warnings of {@link VisionLearner}'s logger)
 * @param yRanges       regression: fastai's {@code y_range} — null (default) for the training targets' range
 *                      widened by 5% on each side (per target column), empty for plain linear outputs, one range for
 *                      every output or one per output
 * @param threshold     multi-label: the probability from which a label is predicted (null: 0.5)
 */
public record VisionLearnerOptions(PretrainedChoice weights, WeightsConfig weightsConfig, List<Metric> metrics,
                                   Loss loss, OptimizerFactory optimizer, boolean bf16, boolean channelsLast,
                                   Long seed, Consumer<String> warnings, List<YRange> yRanges, Double threshold) {
    public VisionLearnerOptions {
        metrics = List.copyOf(metrics);
        yRanges = yRanges == null ? null : List.copyOf(yRanges);
    }

    public static VisionLearnerOptions defaults() {
        return new VisionLearnerOptions(PretrainedChoice.auto(), WeightsConfig.fromEnvironment(), List.of(), null,
                Optimizers.adamW(), false, true, null, VisionLearnerOptions::logWarning, null, null);
    }

    // The logger is made at the first warning, so that SLF4J says nothing in programs that never warn.
    private static void logWarning(String message) {
        LoggerFactory.getLogger(VisionLearner.class).warn("{}", message);
    }

    public VisionLearnerOptions weights(PretrainedChoice weights) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }

    public VisionLearnerOptions weightsConfig(WeightsConfig weightsConfig) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }

    public VisionLearnerOptions metrics(List<Metric> metrics) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }

    public VisionLearnerOptions loss(Loss loss) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }

    public VisionLearnerOptions optimizer(OptimizerFactory optimizer) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }

    public VisionLearnerOptions bf16(boolean bf16) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
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
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }

    public VisionLearnerOptions seed(Long seed) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }

    public VisionLearnerOptions warnings(Consumer<String> warnings) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }

    /** Regression: squash the outputs into {@code yRanges} (one for all outputs, or one per output; empty: none). */
    public VisionLearnerOptions yRanges(List<YRange> yRanges) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }

    /** Regression: squash every output into {@code yRange} (fastai's {@code y_range}). */
    public VisionLearnerOptions yRange(double lo, double hi) {
        return yRanges(List.of(new YRange(lo, hi)));
    }

    /** Multi-label: the probability from which a label is predicted (null: 0.5). */
    public VisionLearnerOptions threshold(Double threshold) {
        return new VisionLearnerOptions(weights, weightsConfig, metrics, loss, optimizer, bf16, channelsLast, seed, warnings, yRanges, threshold);
    }
}
