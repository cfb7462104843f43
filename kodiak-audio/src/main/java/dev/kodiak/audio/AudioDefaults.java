package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sample rate and duration chosen from the training clips, where a user wants the data to decide: the duration
 * covers the 95th percentile of the clips' lengths (rounded up to 0.1 s, so 95% of clips are never cropped), and
 * the rate is the most common one, capped at {@link #MAX_RATE} (speech and most sounds say what they have to say
 * below 8 kHz; higher rates only make the spectrograms slower). Up to {@link #MAX_MEASURED} clips, evenly spread
 * over the list, are decoded to measure; clips that cannot be decoded are left out (training reports them).
 *
 * @param sampleRate the chosen rate, Hz
 * @param duration   the chosen duration, s
 * @param measured   clips measured
 * @param reason     how the values were chosen, for printing
 */
public record AudioDefaults(int sampleRate, double duration, int measured, String reason) {
    /** The highest rate chosen by default. */
    public static final int MAX_RATE = 16_000;
    /** The most clips decoded to choose. */
    public static final int MAX_MEASURED = 200;

    /** Measures {@code clips} with {@code decoder}. */
    public static AudioDefaults measure(List<Path> clips, AudioDecoder decoder) {
        if (clips.isEmpty()) {
            throw new KodiakException("no training clips to choose a sample rate and duration from");
        }
        int step = Math.max(1, (clips.size() + MAX_MEASURED - 1) / MAX_MEASURED);
        List<AudioClip> decoded = new ArrayList<>();
        for (int i = 0; i < clips.size(); i += step) {
            try {
                decoded.add(decoder.decode(clips.get(i)));
            } catch (KodiakException e) {
                // a bad clip is reported when training meets it; it must not decide the defaults
            }
        }
        if (decoded.isEmpty()) {
            throw new KodiakException("none of the " + clips.size() + " training clips could be decoded (e.g. "
                    + clips.get(0) + "): run `kodiak verify` on the folder");
        }
        return of(decoded);
    }

    /** Chooses from decoded clips. */
    public static AudioDefaults of(List<AudioClip> clips) {
        Map<Integer, Integer> rates = new HashMap<>();
        double[] seconds = new double[clips.size()];
        for (int i = 0; i < clips.size(); i++) {
            rates.merge(clips.get(i).sampleRate(), 1, Integer::sum);
            seconds[i] = clips.get(i).seconds();
        }
        int common = rates.entrySet().stream()
                .max((a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(a.getKey(), b.getKey())
                        : Integer.compare(a.getValue(), b.getValue())).orElseThrow().getKey();
        int rate = Math.min(common, MAX_RATE);
        Arrays.sort(seconds);
        double p95 = seconds[(int) Math.ceil(0.95 * seconds.length) - 1];
        double duration = Math.max(0.1, Math.ceil(p95 * 10 - 1e-9) / 10);
        String reason = String.format(Locale.ROOT, "sample rate %d Hz (%s; %d of %d clips measured are at %d Hz), "
                        + "duration %.1f s (95%% of the clips measured last at most %.2f s)", rate,
                rate < common ? "the most common rate, capped at " + MAX_RATE : "the most common rate",
                rates.get(common), clips.size(), common, duration, p95);
        return new AudioDefaults(rate, duration, clips.size(), reason);
    }
}
