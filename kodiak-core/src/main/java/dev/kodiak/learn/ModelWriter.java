package dev.kodiak.learn;

import dev.kodiak.io.StateDict;
import dev.kodiak.model.Manifest;

/**
 * What goes into a learner's model file — the manifest and the weights — for {@link Learner#export},
 * {@link Checkpoint} and {@link SaveBestModel}. The learner's factory (e.g. VisionLearner) provides it.
 */
public interface ModelWriter {
    Manifest manifest(Learner learn);

    StateDict weights(Learner learn);
}
