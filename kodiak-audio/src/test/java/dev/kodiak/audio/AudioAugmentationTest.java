package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.data.Rng;
import dev.kodiak.engine.StepScope;
import dev.kodiak.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AudioAugmentationTest {
    private static final int B = 4;
    private static final int M = 40;
    private static final int F = 50;
    private StepScope scope;

    @BeforeEach
    void open() {
        scope = StepScope.open();
    }

    @AfterEach
    void close() {
        scope.close();
    }

    /** Every value different: value = item * 10000 + row * 100 + column. */
    private static Tensor spectrograms() {
        float[] v = new float[B * M * F];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i / (M * F)) * 10000 + (i / F % M) * 100 + i % F;
        }
        return Tensor.of(v, B, 1, M, F);
    }

    private static float mean(float[] v, int item, int size) {
        double s = 0;
        for (int i = 0; i < size; i++) {
            s += v[item * size + i];
        }
        return (float) (s / size);
    }

    @Test
    void frequencyMasksReplaceWholeMelRowsByTheItemMeanWithinTheLimit() {
        Tensor x = spectrograms();
        float[] in = x.toFloatArray();
        float[] out = new FrequencyMask(2, 0.15).apply(x, Rng.of(3, 0, 0), true).toFloatArray();
        int limit = 2 * (int) Math.floor(0.15 * M);
        int maskedTotal = 0;
        for (int b = 0; b < B; b++) {
            float mean = mean(in, b, M * F);
            int masked = 0;
            for (int r = 0; r < M; r++) {
                int base = (b * M + r) * F;
                boolean rowMasked = Math.abs(out[base] - mean) < 1e-2 && out[base] != in[base];
                for (int c = 0; c < F; c++) {
                    assertThat(out[base + c]).isCloseTo(rowMasked ? mean : in[base + c], within(1e-2f));
                }
                masked += rowMasked ? 1 : 0;
            }
            assertThat(masked).isLessThanOrEqualTo(limit);
            maskedTotal += masked;
        }
        assertThat(maskedTotal).isPositive();
        assertThat(new FrequencyMask(2, 0.15).apply(x, Rng.of(3, 0, 0), true).toFloatArray()).containsExactly(out);
        assertThat(new FrequencyMask(2, 0.15).apply(x, Rng.of(3, 0, 0), false).toFloatArray()).containsExactly(in);
    }

    @Test
    void timeMasksReplaceWholeFrameColumns() {
        Tensor x = spectrograms();
        float[] in = x.toFloatArray();
        float[] out = new TimeMask(2, 0.10).apply(x, Rng.of(5, 0, 0), true).toFloatArray();
        int maskedTotal = 0;
        for (int b = 0; b < B; b++) {
            float mean = mean(in, b, M * F);
            int masked = 0;
            for (int c = 0; c < F; c++) {
                boolean colMasked = out[b * M * F + c] != in[b * M * F + c];
                for (int r = 0; r < M; r++) {
                    int i = (b * M + r) * F + c;
                    assertThat(out[i]).isCloseTo(colMasked ? mean : in[i], within(1e-2f));
                }
                masked += colMasked ? 1 : 0;
            }
            assertThat(masked).isLessThanOrEqualTo(2 * 5);
            maskedTotal += masked;
        }
        assertThat(maskedTotal).isPositive();
    }

    @Test
    void timeShiftRollsEachItemByAtMostTheLimit() {
        float[] w = new float[B * 100];
        for (int i = 0; i < w.length; i++) {
            w[i] = i;
        }
        float[] out = new TimeShift(0.10).apply(Tensor.of(w, B, 100), Rng.of(9, 0, 0), true).toFloatArray();
        for (int b = 0; b < B; b++) {
            int shift = Math.floorMod((int) (b * 100 - out[b * 100]), 100); // where sample 0 went
            assertThat(Math.min(shift, 100 - shift)).isLessThanOrEqualTo(10);
            for (int i = 0; i < 100; i++) {
                assertThat(out[b * 100 + (i + shift) % 100]).isEqualTo(w[b * 100 + i]);
            }
        }
    }

    @Test
    void gainScalesEachItemByOneFactorWithinSixDb() {
        float[] w = TestSounds.noise(B * 200, 0.3, 2);
        float[] out = new Gain(6).apply(Tensor.of(w, B, 200), Rng.of(1, 0, 0), true).toFloatArray();
        for (int b = 0; b < B; b++) {
            double factor = out[b * 200] / w[b * 200];
            assertThat(20 * Math.log10(factor)).isBetween(-6.0, 6.0);
            for (int i = 1; i < 200; i++) {
                assertThat((double) out[b * 200 + i]).isCloseTo(w[b * 200 + i] * factor, within(1e-5));
            }
        }
    }

    @Test
    void backgroundNoiseLandsAtTheDrawnSnrAndLeavesSilenceSilent() {
        int t = 8000;
        float[] w = new float[B * t];
        for (int b = 0; b < B - 1; b++) { // the last item stays silent
            System.arraycopy(TestSounds.tone(300 + 100 * b, 1, t, 0.5), 0, w, b * t, t);
        }
        for (BackgroundNoise noise : List.of(BackgroundNoise.white(10, 20),
                BackgroundNoise.from(List.of(new AudioClip(TestSounds.noise(3000, 0.1, 4), 8000)), 10, 20))) {
            float[] out = noise.apply(Tensor.of(w, B, t), Rng.of(2, 0, 0), true).toFloatArray();
            for (int b = 0; b < B; b++) {
                double ps = 0;
                double pn = 0;
                for (int i = 0; i < t; i++) {
                    ps += w[b * t + i] * w[b * t + i];
                    double n = out[b * t + i] - w[b * t + i];
                    pn += n * n;
                }
                if (b == B - 1) {
                    assertThat(pn).isZero();
                } else {
                    assertThat(10 * Math.log10(ps / pn)).as(noise.describe()).isBetween(10 - 1e-3, 20 + 1e-3);
                }
            }
            assertThat(noise.apply(Tensor.of(w, B, t), Rng.of(2, 0, 0), true).toFloatArray()).containsExactly(out);
        }
    }

    @Test
    void theAugmentDefaultsAreTheDocumentedOnes() {
        assertThat(AudioAugmentations.waveform()).containsExactly(new TimeShift(0.10), new Gain(6));
        assertThat(AudioAugmentations.spectrogram()).containsExactly(new FrequencyMask(2, 0.15), new TimeMask(2, 0.10));
    }
}
