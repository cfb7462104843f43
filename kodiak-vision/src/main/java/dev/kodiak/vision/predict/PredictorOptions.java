package dev.kodiak.vision.predict;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.DecodeLimits;

/**
 * How a {@link Predictor} runs.
 *
 * @param foldBatchNorm fold every BatchNorm into its neighbouring layer at load (same outputs, faster); off only
 *                      to compare against the unfolded network
 * @param channelsLast  channels-last weights and inputs (faster convolutions on CPU)
 * @param maxBatch      images per forward pass; {@code predictBatch} splits longer lists (bounds memory)
 * @param limits        decoding limits for images given as files, bytes or streams
 * @param bf16          run the forward pass under bfloat16 autocast (about twice as fast on CPUs with bf16
 *                      instructions, probabilities differ in the second or third digit); weights stay float32
 */
public record PredictorOptions(boolean foldBatchNorm, boolean channelsLast, int maxBatch, DecodeLimits limits,
                               boolean bf16) {
    public PredictorOptions {
        if (maxBatch < 1) {
            throw new KodiakException("maxBatch must be at least 1, got " + maxBatch);
        }
        if (limits == null) {
            throw new KodiakException("decode limits are required (DecodeLimits.DEFAULT)");
        }
    }

    /** Folded BatchNorm, channels-last, batches of at most 64, the standard decoding limits, float32. */
    public static PredictorOptions defaults() {
        return new PredictorOptions(true, true, 64, DecodeLimits.DEFAULT, false);
    }

    public PredictorOptions foldBatchNorm(boolean on) {
        return new PredictorOptions(on, channelsLast, maxBatch, limits, bf16);
    }

    public PredictorOptions channelsLast(boolean on) {
        return new PredictorOptions(foldBatchNorm, on, maxBatch, limits, bf16);
    }

    public PredictorOptions maxBatch(int n) {
        return new PredictorOptions(foldBatchNorm, channelsLast, n, limits, bf16);
    }

    public PredictorOptions limits(DecodeLimits newLimits) {
        return new PredictorOptions(foldBatchNorm, channelsLast, maxBatch, newLimits, bf16);
    }

    public PredictorOptions bf16(boolean on) {
        return new PredictorOptions(foldBatchNorm, channelsLast, maxBatch, limits, on);
    }
}
