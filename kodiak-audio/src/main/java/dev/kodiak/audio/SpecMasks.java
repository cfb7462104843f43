package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import dev.kodiak.tensor.Tensor;
import java.util.Arrays;

/**
 * The arithmetic SpecAugment's frequency and time masks share: per item, {@code count} bands of up to
 * {@code maxFraction} of an axis are replaced by the item's mean (so a mask reads as "no information", not as a
 * loud or silent band). Internal to the audio package.
 */
final class SpecMasks {
    private SpecMasks() {
    }

    static void check(int count, double maxFraction) {
        if (count < 0) {
            throw new KodiakException("the number of masks must be 0 or more, got " + count);
        }
        if (!(maxFraction >= 0 && maxFraction <= 1)) {
            throw new KodiakException("the largest mask must be a fraction of the axis in 0..1, got " + maxFraction);
        }
    }

    /** Masks bands along {@code axis} (2: mel bins, 3: frames) of a [B, C, H, W] batch. */
    static Tensor mask(Tensor x, int axis, int count, double maxFraction, Rng rng) {
        if (x.dim() != 4) {
            throw new KodiakException("masks need spectrograms as [batch, channels, mels, frames], got shape "
                    + Arrays.toString(x.shape()));
        }
        int b = (int) x.size(0);
        int n = (int) x.size(axis);
        int widest = (int) Math.floor(maxFraction * n);
        float[] keep = new float[b * n];
        Arrays.fill(keep, 1f);
        for (int i = 0; i < b; i++) {
            for (int m = 0; m < count; m++) {
                int width = rng.nextInt(widest + 1);
                int start = rng.nextInt(n - width + 1);
                Arrays.fill(keep, i * n + start, i * n + start + width, 0f);
            }
        }
        long[] shape = axis == 2 ? new long[] {b, 1, n, 1} : new long[] {b, 1, 1, n};
        Tensor kept = Tensor.of(keep, shape).to(x.dtype());
        Tensor mean = x.reshape(b, -1).mean(1, true).reshape(b, 1, 1, 1);
        Tensor masked = kept.neg().add(1);
        return x.mul(kept).add(mean.mul(masked));
    }
}
