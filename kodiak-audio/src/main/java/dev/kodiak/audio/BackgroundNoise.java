package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import dev.kodiak.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * Mixes noise into each waveform of a batch [B, T] at a signal-to-noise ratio drawn per item from
 * {@code minSnrDb..maxSnrDb}: the noise is scaled so that {@code 10 log10(P_signal / P_noise)} is that ratio (a silent
 * item stays silent). The noise is white Gaussian noise from the batch's stream ({@link #white}) or a random stretch
 * of one of the recordings in {@code bank} ({@link #from}). Training only.
 */
public record BackgroundNoise(double minSnrDb, double maxSnrDb, float[][] bank) implements AudioAugmentation {
    public BackgroundNoise {
        if (!(minSnrDb <= maxSnrDb) || Double.isInfinite(minSnrDb) || Double.isInfinite(maxSnrDb)) {
            throw new KodiakException("the SNR range must be finite with min <= max dB, got " + minSnrDb + ".."
                    + maxSnrDb);
        }
        if (bank != null) {
            if (bank.length == 0 || Arrays.stream(bank).anyMatch(n -> n == null || n.length == 0)) {
                throw new KodiakException("background noise needs at least one non-empty noise recording");
            }
            bank = bank.clone();
        }
    }

    /** White Gaussian noise at an SNR drawn from {@code minSnrDb..maxSnrDb}. */
    public static BackgroundNoise white(double minSnrDb, double maxSnrDb) {
        return new BackgroundNoise(minSnrDb, maxSnrDb, null);
    }

    /** Stretches of {@code noises} (e.g. decoded café or street recordings) at an SNR from the range. */
    public static BackgroundNoise from(java.util.List<AudioClip> noises, double minSnrDb, double maxSnrDb) {
        return new BackgroundNoise(minSnrDb, maxSnrDb, noises.stream().map(AudioClip::samples).toArray(float[][]::new));
    }

    @Override
    public Tensor apply(Tensor x, Rng rng, boolean training) {
        if (!training) {
            return x;
        }
        if (x.dim() != 2) {
            throw new KodiakException("background noise needs waveforms as [batch, samples], got shape "
                    + Arrays.toString(x.shape()));
        }
        int b = (int) x.size(0);
        int t = (int) x.size(1);
        float[] noise = new float[b * t];
        float[] snrFactor = new float[b];
        for (int i = 0; i < b; i++) {
            snrFactor[i] = (float) Math.pow(10, -rng.uniform(minSnrDb, maxSnrDb) / 10);
            if (bank == null) {
                for (int j = 0; j < t; j += 2) { // Box-Muller: two normals per two uniforms
                    double r = Math.sqrt(-2 * Math.log(1 - rng.uniform()));
                    double a = 2 * Math.PI * rng.uniform();
                    noise[i * t + j] = (float) (r * Math.cos(a));
                    if (j + 1 < t) {
                        noise[i * t + j + 1] = (float) (r * Math.sin(a));
                    }
                }
            } else {
                float[] source = bank[rng.nextInt(bank.length)];
                int offset = rng.nextInt(source.length);
                for (int j = 0; j < t; j++) { // loops a recording shorter than the clip
                    noise[i * t + j] = source[(offset + j) % source.length];
                }
            }
        }
        Tensor n = Tensor.of(noise, b, t).to(x.dtype());
        Tensor signalPower = x.pow(2).mean(1, true);
        Tensor noisePower = n.pow(2).mean(1, true).clamp(1e-20, Float.MAX_VALUE);
        // scale^2 = P_signal / (P_noise * 10^(snr/10))
        Tensor scale = signalPower.mul(Tensor.of(snrFactor, b, 1).to(x.dtype())).div(noisePower).sqrt();
        return x.add(n.mul(scale));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "BackgroundNoise(%s, SNR %s..%s dB)", bank == null ? "white"
                : bank.length + " recordings", minSnrDb, maxSnrDb);
    }
}
