package dev.kodiak.gather;

import dev.kodiak.audio.AudioCheck;
import dev.kodiak.audio.AudioDecoder;
import dev.kodiak.io.Verifier;
import dev.kodiak.vision.ImageCheck;

/**
 * The verifier {@code kodiak verify} and {@code kodiak gather} run: every image and every sound file of a dataset
 * folder is decoded fully, so a folder may hold either or both; bad ones go to {@code .quarantine/} with the reason
 * codes of {@link ImageCheck} and {@link AudioCheck}.
 */
public final class DatasetVerifier {
    private DatasetVerifier() {
    }

    /** Images and sound with the standard limits (sound files over 600 s are too long). */
    public static Verifier standard() {
        return withMaxSeconds(AudioDecoder.DEFAULT_MAX_SECONDS);
    }

    /** Images with the standard limits, sound files refused as {@code too-long} over {@code maxSeconds}. */
    public static Verifier withMaxSeconds(double maxSeconds) {
        return Verifier.of(ImageCheck.standard(), AudioCheck.of(AudioDecoder.withMaxSeconds(maxSeconds)));
    }
}
