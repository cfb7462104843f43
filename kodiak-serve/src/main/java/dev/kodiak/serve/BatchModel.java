package dev.kodiak.serve;

import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.predict.Prediction;
import java.util.List;

/**
 * What the micro-batcher runs: predictions for a batch of decoded images, in order. {@code Predictor::predictBatch}
 * is the real one; tests wrap it (e.g. to make it slow).
 */
@FunctionalInterface
public interface BatchModel {
    List<Prediction> predictBatch(List<RgbImage> images);
}
