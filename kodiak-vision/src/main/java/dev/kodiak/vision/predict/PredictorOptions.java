package dev.kodiak.vision.predict;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Precision;
import dev.kodiak.engine.PrecisionChoice;
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
 *                      instructions, several times slower where bf16 is emulated; probabilities differ in the
 *                      second or third digit); weights stay float32. {@link #precision} decides it for this CPU
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

    /**
     * Images per forward pass unless asked otherwise, here and in {@code kodiak predict --bs}. Measured on a 2-core
     * AVX2 EPYC (bench/results/predict-bs-2026-12-06-epyc.txt): 16 is clearly slower, 64 within the noise of 32
     * (about 12% ahead); 32 wins because {@code predict} holds a batch of decoded full-size photos meanwhile, half
     * the memory of 64.
     */
    public static final int DEFAULT_MAX_BATCH = 32;

    /** Folded BatchNorm, channels-last, batches of at most {@link #DEFAULT_MAX_BATCH}, standard decoding limits, float32. */
    public static PredictorOptions defaults() {
        return new PredictorOptions(true, true, DEFAULT_MAX_BATCH, DecodeLimits.DEFAULT, false);
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

    /**
     * bf16 or float32 as {@code precision} means on this machine's CPU ({@code AUTO}: bf16 only where it runs in
     * hardware). {@link PrecisionChoice#forHost} says what it chose and why.
     */
    public PredictorOptions precision(Precision precision) {
        return bf16(PrecisionChoice.forHost(precision).bf16());
    }
}
