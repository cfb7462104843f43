package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import dev.kodiak.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shifts each item of a batch in time by a random amount of up to {@code maxFraction} of its length, either way,
 * rolling what leaves one end in at the other (no made-up silence or padding). Works on the last axis, so on
 * waveforms [B, T] and spectrograms [B, C, mels, frames] alike. Training only.
 */
public record TimeShift(double maxFraction) implements AudioAugmentation {
    public TimeShift {
        if (!(maxFraction >= 0 && maxFraction <= 1)) {
            throw new KodiakException("the largest shift must be a fraction of the length in 0..1, got " + maxFraction);
        }
    }

    @Override
    public Tensor apply(Tensor x, Rng rng, boolean training) {
        if (!training) {
            return x;
        }
        int last = x.dim() - 1;
        long n = x.size(last);
        int widest = (int) Math.floor(maxFraction * n);
        List<Tensor> items = new ArrayList<>();
        for (int i = 0; i < x.size(0); i++) {
            Tensor item = x.narrow(0, i, 1);
            int shift = rng.nextInt(2 * widest + 1) - widest; // positive: later
            int s = (int) Math.floorMod(shift, n);
            items.add(s == 0 ? item : Tensor.cat(List.of(item.narrow(last, n - s, s), item.narrow(last, 0, n - s)), last));
        }
        return Tensor.cat(items, 0);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "TimeShift(up to %.0f%%)", maxFraction * 100);
    }
}
