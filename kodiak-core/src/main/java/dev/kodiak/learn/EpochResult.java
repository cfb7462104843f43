package dev.kodiak.learn;

import java.util.List;
import java.util.Map;

/**
 * One row of the epoch table.
 *
 * @param phase           {@code frozen} or {@code unfrozen} in fine-tuning, {@code train} otherwise
 * @param epoch           counted from 0 within the phase, like fastai
 * @param trainLoss       the smoothed training loss at the end of the epoch (what fastai prints)
 * @param validLoss       mean loss over the whole validation set (NaN when validation was skipped)
 * @param metrics         metric name → value over the whole validation set, in the learner's metric order
 * @param seconds         wall time of the epoch (training and validation)
 * @param trainSeconds    wall time of the epoch's training phase ({@code beforeTrain} to {@code afterTrain}:
 *                        every training batch, data and step); 0 when training was skipped
 * @param dataWaitSeconds the part of {@code trainSeconds} the loop spent blocked on the training loader, waiting
 *                        for the next batch (including the batch transforms the loader runs on the training
 *                        thread)
 */
@com.fasterxml.jackson.databind.annotation.JsonNaming(
        com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EpochResult(String phase, int epoch, double trainLoss, double validLoss, Map<String, Double> metrics,
                          double seconds, double trainSeconds, double dataWaitSeconds) {
    public EpochResult {
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    }

    /**
     * The fraction of the training phase spent waiting for batches, 0..1: near 0 when the data pipeline keeps
     * ahead of the model, near 1 when the model waits for data. NaN when the epoch had no training phase.
     */
    public double dataWaitFraction() {
        return trainSeconds > 0 ? Math.min(1, dataWaitSeconds / trainSeconds) : Double.NaN;
    }

    /**
     * The data-wait fraction over several epochs together (e.g. one phase of fine-tuning): their waiting time
     * over their training time. NaN when none of them trained.
     */
    public static double dataWaitFraction(List<EpochResult> epochs) {
        double wait = 0;
        double train = 0;
        for (EpochResult e : epochs) {
            wait += e.dataWaitSeconds();
            train += e.trainSeconds();
        }
        return train > 0 ? Math.min(1, wait / train) : Double.NaN;
    }
}
