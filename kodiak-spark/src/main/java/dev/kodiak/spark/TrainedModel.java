package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import java.io.Serializable;
import java.util.Map;

/**
 * What a {@link DistributedTrainer} run hands back to the driver: where rank 0 wrote the model file and how the last
 * epoch ended (its validation covers the whole validation set, gathered from every rank).
 *
 * @param modelPath the model file, fully qualified ({@code file:/...}, {@code hdfs://...}, {@code s3a://...})
 * @param worldSize how many ranks (barrier tasks) trained together
 * @param trainLoss the last epoch's training loss (averaged over all ranks)
 * @param validLoss the last epoch's validation loss
 * @param metrics   the last epoch's metrics by name
 */
public record TrainedModel(String modelPath, int worldSize, double trainLoss, double validLoss,
                           Map<String, Double> metrics) implements Serializable {
    /** Checks the values; the metrics are copied. */
    public TrainedModel {
        if (modelPath == null || modelPath.isBlank()) {
            throw new KodiakException("a trained model needs the path of its model file");
        }
        if (worldSize < 1) {
            throw new KodiakException("world size must be at least 1, got " + worldSize);
        }
        metrics = Map.copyOf(metrics);
    }
}
