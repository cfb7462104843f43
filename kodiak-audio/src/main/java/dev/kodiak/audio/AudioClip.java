package dev.kodiak.audio;

import dev.kodiak.KodiakException;

/**
 * A decoded mono sound: samples as floats (full scale is -1..1) at {@code sampleRate} samples per second. Multi-channel
 * files are down-mixed to the mean of their channels when decoded. The array is shared, not copied: transforms
 * return new clips and never write into one they were given.
 */
public record AudioClip(float[] samples, int sampleRate) {
    public AudioClip {
        if (samples == null) {
            throw new KodiakException("an audio clip needs its samples (got null)");
        }
        if (sampleRate <= 0) {
            throw new KodiakException("sample rate must be positive, got " + sampleRate);
        }
    }

    /** The number of samples. */
    public int length() {
        return samples.length;
    }

    /** The length in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "AudioClip(%.3f s at %d Hz)", seconds(), sampleRate);
    }
}
