package dev.kodiak.learn;

import java.util.Map;

/**
 * One row of the epoch table.
 *
 * @param phase     {@code frozen} or {@code unfrozen} in fine-tuning, {@code train} otherwise
 * @param epoch     counted from 0 within the phase, like fastai
 * @param trainLoss the smoothed training loss at the end of the epoch (what fastai prints)
 * @param validLoss mean loss over the whole validation set (NaN when validation was skipped)
 * @param metrics   metric name → value over the whole validation set, in the learner's metric order
 * @param seconds   wall time of the epoch (training and validation)
 */
public record EpochResult(String phase, int epoch, double trainLoss, double validLoss, Map<String, Double> metrics,
                          double seconds) {
    public EpochResult {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }
}
