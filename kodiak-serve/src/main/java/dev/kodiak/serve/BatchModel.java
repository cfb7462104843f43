package dev.kodiak.serve;

import dev.kodiak.vision.predict.Prediction;
import java.util.List;

/**
 * What the micro-batcher runs: predictions for a batch of prepared inputs (images, sound clips: what
 * {@code Predictor.prepareUpload} made), in order. {@code Predictor::predictPrepared} is the real one; tests wrap it
 * (e.g. to make it slow).
 */
@FunctionalInterface
public interface BatchModel {
    List<Prediction> predictBatch(List<?> inputs);
}
