package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Rng;
import java.util.Arrays;
import java.util.Locale;

/**
 * Cuts leading and trailing silence: the clip is measured in 20 ms windows, and the windows at either end whose RMS
 * is more than {@code thresholdDb} below the loudest window's are dropped (60 dB, as librosa's {@code trim}, keeps
 * anything audible). Silence inside the clip is kept; an all-silent clip is returned as it is.
 */
public record TrimSilence(double thresholdDb) implements ItemTransform<AudioClip> {
    /** The default threshold in dB below the loudest window. */
    public static final double DEFAULT_DB = 60;

    public TrimSilence {
        if (!(thresholdDb > 0) || Double.isInfinite(thresholdDb)) {
            throw new KodiakException("the silence threshold must be a positive number of dB below the peak, got "
                    + thresholdDb);
        }
    }

    /** Trims what is more than 60 dB below the loudest 20 ms. */
    public static TrimSilence standard() {
        return new TrimSilence(DEFAULT_DB);
    }

    @Override
    public AudioClip apply(AudioClip item, Rng rng, boolean training) {
        float[] s = item.samples();
        int window = Math.max(1, item.sampleRate() / 50);
        int windows = (s.length + window - 1) / window;
        double[] power = new double[windows];
        double loudest = 0;
        for (int w = 0; w < windows; w++) {
            int from = w * window;
            int to = Math.min(s.length, from + window);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += (double) s[i] * s[i];
            }
            power[w] = sum / (to - from);
            loudest = Math.max(loudest, power[w]);
        }
        if (loudest == 0) {
            return item;
        }
        double floor = loudest * Math.pow(10, -thresholdDb / 10); // powers: 10 log10
        int first = 0;
        while (power[first] < floor) {
            first++;
        }
        int last = windows - 1;
        while (power[last] < floor) {
            last--;
        }
        int from = first * window;
        int to = Math.min(s.length, (last + 1) * window);
        return from == 0 && to == s.length ? item
                : new AudioClip(Arrays.copyOfRange(s, from, to), item.sampleRate());
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "TrimSilence(%s dB)", thresholdDb);
    }
}
