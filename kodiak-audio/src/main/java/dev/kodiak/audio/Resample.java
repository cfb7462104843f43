package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Rng;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swresample;
import org.bytedeco.ffmpeg.swresample.SwrContext;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

/**
 * Resamples clips to {@code targetRate} with FFmpeg's libswresample. The filter is set to match scipy's
 * {@code resample_poly} (a Kaiser-windowed sinc, beta 5, cut off at the lower of the two Nyquist frequencies, 20
 * taps per phase at the lower rate), so Kodiak's resampled clips are what a Python pipeline built on scipy would
 * feed its model (interop test: within 1e-3 RMS on tones and noise). The output has {@code ceil(n * target /
 * source)} samples, aligned with the input (no filter delay; the
 * signal is padded with zeros on both sides, as scipy does). Deterministic: the same in training and validation.
 */
public record Resample(int targetRate) implements ItemTransform<AudioClip> {
    /** Taps per phase at the lower rate: scipy's half-length of 10 periods on each side. */
    static final int FILTER_SIZE = 20;
    /** The Kaiser window's beta, as scipy's default window {@code ('kaiser', 5.0)}. */
    static final double KAISER_BETA = 5.0;
    /** Where the pass band ends, as a fraction of the lower Nyquist frequency (scipy: all of it). */
    static final double CUTOFF = 1.0;
    /** 2^PHASE_SHIFT filter phases: enough for every rational ratio of common rates to be exact. */
    static final int PHASE_SHIFT = 12;

    static {
        FFmpeg.init();
    }

    public Resample {
        if (targetRate <= 0 || targetRate > AudioDecoder.MAX_SAMPLE_RATE) {
            throw new KodiakException("target sample rate must be in 1.." + AudioDecoder.MAX_SAMPLE_RATE
                    + " Hz, got " + targetRate);
        }
    }

    /** Resamples to {@code targetRate} Hz (e.g. {@code Resample.to(16000)}). */
    public static Resample to(int targetRate) {
        return new Resample(targetRate);
    }

    @Override
    public AudioClip apply(AudioClip item, Rng rng, boolean training) {
        return resample(item, targetRate);
    }

    @Override
    public String describe() {
        return "Resample(" + targetRate + " Hz)";
    }

    /** {@code clip} at {@code rate} samples per second ({@code clip} itself when it already is). */
    public static AudioClip resample(AudioClip clip, int rate) {
        if (clip.sampleRate() == rate) {
            return clip;
        }
        new Resample(rate); // validates the rate
        long wanted = ceilDiv((long) clip.length() * rate, clip.sampleRate());
        if (wanted > Integer.MAX_VALUE - 8) {
            throw new KodiakException("resampling " + clip + " to " + rate + " Hz gives too many samples");
        }
        return new AudioClip(convert(clip.samples(), clip.sampleRate(), rate, (int) wanted), rate);
    }

    private static float[] convert(float[] in, int from, int to, int wanted) {
        float[] out = new float[wanted];
        if (in.length == 0) {
            return out;
        }
        // Zeros on both sides, a whole number of rate periods long (so they map to whole output samples): the
        // filter's start-up and tail then run on silence, as scipy's zero padding does, and are cut away.
        long g = gcd(from, to);
        long periods = ceilDiv(FILTER_SIZE * 4L * Math.max(1, ceilDiv(from, to)), from / g);
        int padIn = Math.toIntExact(periods * (from / g));
        int padOut = Math.toIntExact(periods * (to / g));
        float[] padded = new float[in.length + 2 * padIn];
        System.arraycopy(in, 0, padded, padIn, in.length);
        try (PointerScope scope = new PointerScope()) {
            AVChannelLayout mono = new AVChannelLayout();
            avutil.av_channel_layout_default(mono, 1);
            SwrContext swr = new SwrContext(null);
            int ret = swresample.swr_alloc_set_opts2(swr, mono, avutil.AV_SAMPLE_FMT_FLT, to, mono,
                    avutil.AV_SAMPLE_FMT_FLT, from, 0, null);
            try {
                check(ret, "configure");
                avutil.av_opt_set_int(swr, "filter_size", FILTER_SIZE, 0);
                avutil.av_opt_set_int(swr, "phase_shift", PHASE_SHIFT, 0);
                avutil.av_opt_set_double(swr, "cutoff", CUTOFF, 0);
                avutil.av_opt_set_int(swr, "filter_type", swresample.SWR_FILTER_TYPE_KAISER, 0);
                avutil.av_opt_set_double(swr, "kaiser_beta", KAISER_BETA, 0);
                check(swresample.swr_init(swr), "initialise");
                // swr delays its output by the filter's centre: skipping that many aligns output 0 with input 0
                int skip = (int) swresample.swr_get_delay(swr, to) + padOut;
                int room = skip + wanted + padOut + FILTER_SIZE * 4 + 64;
                FloatPointer src = new FloatPointer(padded);
                FloatPointer dst = new FloatPointer(room);
                PointerPointer<?> srcPlanes = new PointerPointer<>(1).put(0, src);
                PointerPointer<?> dstPlanes = new PointerPointer<>(1).put(0, dst);
                float[] all = new float[room];
                int total = check(swresample.swr_convert(swr, dstPlanes, room, srcPlanes, padded.length), "convert");
                dst.get(all, 0, total);
                while (total < room) {
                    int more = check(swresample.swr_convert(swr, dstPlanes, room - total, null, 0), "flush");
                    if (more == 0) {
                        break;
                    }
                    dst.get(all, total, more);
                    total += more;
                }
                System.arraycopy(all, skip, out, 0, Math.max(0, Math.min(wanted, total - skip)));
                return out;
            } finally {
                swresample.swr_free(swr);
            }
        }
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static int check(int ret, String what) {
        if (ret < 0) {
            throw new KodiakException("libswresample cannot " + what + ": " + FFmpeg.describe(ret));
        }
        return ret;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
