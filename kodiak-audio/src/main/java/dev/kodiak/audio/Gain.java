package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import dev.kodiak.tensor.Tensor;
import java.util.Locale;

/**
 * Makes each waveform of a batch [B, T] louder or quieter by a random gain of up to {@code maxDb} decibels either
 * way (amplitude times {@code 10^(g / 20)}). Training only.
 */
public record Gain(double maxDb) implements AudioAugmentation {
    public Gain {
        if (!(maxDb >= 0) || Double.isInfinite(maxDb)) {
            throw new KodiakException("the largest gain must be 0 or more dB, got " + maxDb);
        }
    }

    @Override
    public Tensor apply(Tensor x, Rng rng, boolean training) {
        if (!training) {
            return x;
        }
        int b = (int) x.size(0);
        float[] factors = new float[b];
        for (int i = 0; i < b; i++) {
            factors[i] = (float) Math.pow(10, rng.uniform(-maxDb, maxDb) / 20);
        }
        long[] shape = new long[x.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = b;
        return x.mul(Tensor.of(factors, shape).to(x.dtype()));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Gain(±%s dB)", maxDb);
    }
}
