package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.StepScope;
import dev.kodiak.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MelSpectrogramTest {
    @Test
    void aToneLightsTheMelBandHoldingItsFrequencyInEveryFrame() {
        try (StepScope scope = StepScope.open()) {
            MelSpectrogram mel = MelSpectrogram.of(16000);
            float[] tone = TestSounds.tone(1000, 1, 16000, 0.5);
            Tensor db = AmplitudeToDb.of(mel, 80).apply(mel.apply(Tensor.of(tone, 1, tone.length)));
            assertThat(db.shape()).containsExactly(1, 1, 64, 1 + 16000 / 256);
            float[] v = db.toFloatArray();
            int frames = 1 + 16000 / 256;
            double target = MelFilterbank.hzToMel(1000);
            double step = MelFilterbank.hzToMel(8000) / 65;
            int expectedBand = (int) Math.round(target / step) - 1;
            for (int f = 5; f < frames - 5; f += 7) {
                int best = 0;
                for (int m = 1; m < 64; m++) {
                    if (v[m * frames + f] > v[best * frames + f]) {
                        best = m;
                    }
                }
                assertThat(best).isBetween(expectedBand - 1, expectedBand + 1);
            }
            float max = Float.NEGATIVE_INFINITY;
            float min = Float.POSITIVE_INFINITY;
            for (float x : v) {
                max = Math.max(max, x);
                min = Math.min(min, x);
            }
            assertThat((double) (max - min)).isCloseTo(80, within(1e-3)); // top_db floors the rest
        }
    }

    @Test
    void melAndHzConvertBackAndForth() {
        assertThat(MelFilterbank.melToHz(MelFilterbank.hzToMel(4321))).isCloseTo(4321, within(1e-9));
        assertThat(MelFilterbank.hzToMel(700)).isCloseTo(2595 * Math.log10(2), within(1e-9));
    }

    @Test
    void badSettingsAndShapesSayWhatIsWrong() {
        assertThatThrownBy(() -> new MelSpectrogram(16000, 512, 128, 1024, 64, 0, 8000, 2))
                .isInstanceOf(KodiakException.class).hasMessageContaining("win length");
        assertThatThrownBy(() -> new MelSpectrogram(16000, 512, 128, 512, 64, 0, 9000, 2))
                .isInstanceOf(KodiakException.class).hasMessageContaining("f_max");
        try (StepScope scope = StepScope.open()) {
            assertThatThrownBy(() -> MelSpectrogram.of(16000).apply(Tensor.zeros(2, 100)))
                    .isInstanceOf(KodiakException.class).hasMessageContaining("too short");
            assertThatThrownBy(() -> MelSpectrogram.of(16000).apply(Tensor.zeros(2, 1, 4000)))
                    .isInstanceOf(KodiakException.class).hasMessageContaining("[batch, samples]");
        }
    }
}
