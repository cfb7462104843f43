package dev.kodiak.audio;

import dev.kodiak.data.Rng;
import dev.kodiak.tensor.Tensor;
import java.util.Locale;

/**
 * SpecAugment's frequency masking on spectrogram batches [B, C, mels, frames]: per item, {@code count} bands of
 * 0..{@code maxFraction} of the mel bins, placed at random, are set to the item's mean. Training only.
 */
public record FrequencyMask(int count, double maxFraction) implements AudioAugmentation {
    public FrequencyMask {
        SpecMasks.check(count, maxFraction);
    }

    @Override
    public Tensor apply(Tensor x, Rng rng, boolean training) {
        return training ? SpecMasks.mask(x, 2, count, maxFraction, rng) : x;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "FrequencyMask(%d x up to %.0f%%)", count, maxFraction * 100);
    }
}
