package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Rng;
import java.util.Arrays;
import java.util.Locale;

/**
 * Makes every clip {@code seconds} long so clips batch together: a longer clip is cropped (at a random place in
 * training, in the middle otherwise), a shorter one is padded with silence at its end.
 */
public record FixedDuration(double seconds) implements ItemTransform<AudioClip> {
    public FixedDuration {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new KodiakException("duration must be a positive number of seconds, got " + seconds);
        }
    }

    /** Clips of {@code seconds} seconds. */
    public static FixedDuration of(double seconds) {
        return new FixedDuration(seconds);
    }

    /** The samples a clip at {@code sampleRate} has after this transform. */
    public int samples(int sampleRate) {
        return (int) Math.round(seconds * sampleRate);
    }

    @Override
    public AudioClip apply(AudioClip item, Rng rng, boolean training) {
        int n = samples(item.sampleRate());
        int have = item.length();
        if (have == n) {
            return item;
        }
        if (have < n) {
            return new AudioClip(Arrays.copyOf(item.samples(), n), item.sampleRate());
        }
        int start = training ? rng.nextInt(have - n + 1) : (have - n) / 2;
        return new AudioClip(Arrays.copyOfRange(item.samples(), start, start + n), item.sampleRate());
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "FixedDuration(%s s)", seconds);
    }
}
