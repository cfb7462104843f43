package dev.kodiak.vision.predict;

import dev.kodiak.KodiakException;
import java.nio.file.Path;

/**
 * The answer for one file of a {@link Predictor#predictEach} call: its prediction, or why it could not be read.
 *
 * @param file       the file as given
 * @param prediction the model's answer; null when the file could not be read
 * @param error      what is wrong with the file; null when it was predicted
 */
public record FilePrediction(Path file, Prediction prediction, String error) {
    public FilePrediction {
        if ((prediction == null) == (error == null)) {
            throw new KodiakException("a file's result is either a prediction or an error, not both or neither");
        }
    }

    /** True when the file could not be read. */
    public boolean failed() {
        return error != null;
    }
}
