package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemTransformsTest {
    private static AudioClip ramp(int n, int rate) {
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = i + 1;
        }
        return new AudioClip(s, rate);
    }

    @Test
    void validationCropsTheMiddle() {
        AudioClip clip = FixedDuration.of(0.5).apply(ramp(1000, 1000), Rng.of(1, 0, 0), false);
        assertThat(clip.length()).isEqualTo(500);
        assertThat(clip.samples()[0]).isEqualTo(251f); // (1000 - 500) / 2 = 250 samples dropped at each end
        assertThat(clip.samples()[499]).isEqualTo(750f);
    }

    @Test
    void trainingCropsAtRandomPlacesInsideTheClipTheSameWayForTheSameStream() {
        FixedDuration crop = FixedDuration.of(0.5);
        Set<Float> starts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            AudioClip c = crop.apply(ramp(1000, 1000), Rng.of(7, 0, i), true);
            assertThat(c.length()).isEqualTo(500);
            assertThat(c.samples()[0]).isBetween(1f, 501f);
            assertThat(c.samples()[499] - c.samples()[0]).isEqualTo(499f); // contiguous
            assertThat(crop.apply(ramp(1000, 1000), Rng.of(7, 0, i), true)).usingRecursiveComparison().isEqualTo(c);
            starts.add(c.samples()[0]);
        }
        assertThat(starts.size()).isGreaterThan(40);
    }

    @Test
    void shortClipsArePaddedWithSilenceAtTheEnd() {
        AudioClip clip = FixedDuration.of(1.5).apply(ramp(1000, 1000), Rng.of(1, 0, 0), true);
        assertThat(clip.length()).isEqualTo(1500);
        assertThat(clip.samples()[999]).isEqualTo(1000f);
        assertThat(Arrays.copyOfRange(clip.samples(), 1000, 1500)).containsOnly(0f);
    }

    @Test
    void trimmingCutsQuietEndsAndKeepsTheSound() {
        int rate = 8000;
        float[] s = new float[3 * rate];
        float[] tone = TestSounds.tone(440, 1, rate, 0.5);
        System.arraycopy(tone, 0, s, rate, rate);
        float[] hiss = TestSounds.noise(s.length, 1e-5, 1); // -94 dB below the tone: silence
        for (int i = 0; i < s.length; i++) {
            s[i] += hiss[i];
        }
        AudioClip trimmed = TrimSilence.standard().apply(new AudioClip(s, rate), Rng.of(1, 0, 0), false);
        assertThat(trimmed.length()).isEqualTo(rate); // 20 ms windows line up with the tone's edges here
        assertThat(trimmed.samples()[100]).isEqualTo(s[rate + 100]);
        // a lower threshold than the hiss keeps everything
        assertThat(new TrimSilence(120).apply(new AudioClip(s, rate), Rng.of(1, 0, 0), false).length())
                .isEqualTo(s.length);
    }

    @Test
    void anAllSilentClipIsLeftAlone() {
        AudioClip silent = new AudioClip(new float[800], 8000);
        assertThat(TrimSilence.standard().apply(silent, Rng.of(1, 0, 0), true)).isSameAs(silent);
    }

    @Test
    void resamplingKeepsLengthInSecondsAndAToneItsPitch() {
        AudioClip clip = new AudioClip(TestSounds.tone(440, 1, 44100, 0.5), 44100);
        AudioClip out = Resample.to(16000).apply(clip, Rng.of(1, 0, 0), true);
        assertThat(out.sampleRate()).isEqualTo(16000);
        assertThat(out.length()).isEqualTo(16000);
        float[] expected = TestSounds.tone(440, 1, 16000, 0.5);
        assertThat(TestSounds.rms(out.samples(), expected, 200, 15800)).isLessThan(1e-3);
        assertThat(Resample.resample(out, 16000)).isSameAs(out);
    }

    @Test
    void badSettingsSayWhatIsWrong() {
        assertThatThrownBy(() -> FixedDuration.of(0)).isInstanceOf(KodiakException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> Resample.to(0)).isInstanceOf(KodiakException.class).hasMessageContaining("sample rate");
        assertThatThrownBy(() -> new TrimSilence(-3)).isInstanceOf(KodiakException.class).hasMessageContaining("dB");
    }
}
