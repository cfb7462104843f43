package dev.kodiak.audio;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kodiak.KodiakException;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that turns a sound file into the picture a model sees, as a model file records it (the {@code
 * parameters} of its {@code audio} input section): decode with a length limit, resample, optionally trim silence,
 * fix the duration, then on the engine per batch mel spectrogram, dB with {@code topDb}, scaled to 0..1 per clip
 * ({@code (dB - max) / topDb + 1}, so a clip's loudest point is 1 and its floor 0, as pixels), and the augmentations
 * when {@code augment} (training only).
 *
 * @param sampleRate  the rate every clip is resampled to, in Hz
 * @param duration    seconds every clip is cropped or padded to
 * @param nMels       mel bins (the picture's height)
 * @param nFft        FFT size
 * @param hop         samples between frames
 * @param fMin        lowest mel filter edge, Hz
 * @param fMax        highest mel filter edge, Hz (at most the Nyquist frequency)
 * @param topDb       dynamic range kept per clip, dB
 * @param augment     {@link AudioAugmentations} on in training
 * @param trimSilence {@link TrimSilence#standard()} before fixing the duration
 * @param maxSeconds  longer files are refused ({@code too-long})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"sample_rate", "duration", "n_mels", "n_fft", "hop", "f_min", "f_max", "top_db", "augment",
        "trim_silence", "max_seconds"})
public record AudioSettings(int sampleRate, double duration, int nMels, int nFft, int hop, double fMin, double fMax,
        double topDb, boolean augment, boolean trimSilence, double maxSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    public AudioSettings {
        if (sampleRate <= 0 || sampleRate > AudioDecoder.MAX_SAMPLE_RATE) {
            throw new KodiakException("sample rate must be in 1.." + AudioDecoder.MAX_SAMPLE_RATE + " Hz, got "
                    + sampleRate);
        }
        if (!(duration > 0) || duration > 600) {
            throw new KodiakException("duration must be more than 0 and at most 600 seconds, got " + duration);
        }
        if (!(topDb > 0) || Double.isInfinite(topDb)) {
            throw new KodiakException("top_db must be a positive number of dB (e.g. 80), got " + topDb);
        }
        if (!(maxSeconds > 0)) {
            throw new KodiakException("max seconds must be positive, got " + maxSeconds);
        }
        if (Math.round(duration * sampleRate) <= nFft / 2) {
            throw new KodiakException(String.format(Locale.ROOT, "%s s at %d Hz is %d samples, too short for n_fft %d:"
                    + " use a longer duration or a smaller n_fft", duration, sampleRate,
                    Math.round(duration * sampleRate), nFft));
        }
        new MelSpectrogram(sampleRate, nFft, hop, nFft, nMels, fMin, fMax, 2); // checks the spectrogram's values
    }

    /** Kodiak's defaults at {@code sampleRate} for clips of {@code duration} s: 64 mels, n_fft 1024, hop 256, 80 dB. */
    public static AudioSettings of(int sampleRate, double duration) {
        return new AudioSettings(sampleRate, duration, 64, 1024, 256, 0, sampleRate / 2.0, 80, false, false,
                AudioDecoder.DEFAULT_MAX_SECONDS);
    }

    /** The mel spectrogram these settings compute (power 2, window n_fft). */
    public MelSpectrogram mel() {
        return new MelSpectrogram(sampleRate, nFft, hop, nFft, nMels, fMin, fMax, 2);
    }

    /** Samples of a clip after the fixed duration. */
    public int samples() {
        return (int) Math.round(duration * sampleRate);
    }

    /** Frames of a spectrogram (its width). */
    public int frames() {
        return (int) mel().frames(samples());
    }

    /** The settings as the model file's {@code input.parameters}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toParameters() {
        return JSON.convertValue(this, Map.class);
    }

    /** Settings read back from a model file's {@code input.parameters}; a missing or unknown field is refused. */
    public static AudioSettings fromParameters(Map<String, Object> parameters) {
        if (parameters == null) {
            throw new KodiakException("the audio input section has no parameters (sample rate, duration, spectrogram)");
        }
        for (String field : new String[] {"sample_rate", "duration", "n_mels", "n_fft", "hop", "f_min", "f_max",
                "top_db", "augment", "trim_silence", "max_seconds"}) {
            if (!parameters.containsKey(field)) {
                throw new KodiakException("the audio input section's parameters lack '" + field + "'");
            }
        }
        try {
            return JSON.convertValue(parameters, AudioSettings.class);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof KodiakException k ? k : e;
            throw new KodiakException("the audio input section's parameters are not valid: " + cause.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d Hz, %s s, %d mels (n_fft %d, hop %d, %s-%s Hz), top_db %s%s%s",
                sampleRate, duration, nMels, nFft, hop, fMin, fMax, topDb, augment ? ", augmented" : "",
                trimSilence ? ", silence trimmed" : "");
    }
}
