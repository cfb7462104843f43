package dev.kodiak.audio;

import java.util.List;

/**
 * The augmentations {@code --augment} turns on for sound: on waveforms, a time shift of up to ±10% and a gain of up
 * to ±6 dB; on spectrograms, SpecAugment's two frequency masks of up to 15% of the mel bins and two time masks of up
 * to 10% of the frames. Background noise is not among them (its SNR depends on the data): add
 * {@link BackgroundNoise} where recordings are clean and the use is noisy.
 */
public final class AudioAugmentations {
    private AudioAugmentations() {
    }

    /** What runs on the waveform batch [B, T], before the spectrogram. */
    public static List<AudioAugmentation> waveform() {
        return List.of(new TimeShift(0.10), new Gain(6));
    }

    /** What runs on the spectrogram batch [B, 1, mels, frames], after the dB conversion. */
    public static List<AudioAugmentation> spectrogram() {
        return List.of(new FrequencyMask(2, 0.15), new TimeMask(2, 0.10));
    }
}
