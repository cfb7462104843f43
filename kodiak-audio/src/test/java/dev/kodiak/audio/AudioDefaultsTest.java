package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioDefaultsTest {
    private static AudioClip clip(double seconds, int rate) {
        return new AudioClip(new float[(int) Math.round(seconds * rate)], rate);
    }

    @Test
    void durationCoversThe95thPercentileAndTheRateIsTheCommonestCapped() {
        List<AudioClip> clips = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            clips.add(clip(i / 100.0, i % 4 == 0 ? 22050 : 44100)); // 0.01 .. 1.00 s
        }
        AudioDefaults d = AudioDefaults.of(clips);
        assertThat(d.duration()).isEqualTo(1.0); // 95th of 100: 0.95 s, rounded up to 0.1 s
        assertThat(d.sampleRate()).isEqualTo(16000); // 44.1 kHz is the most common, capped
        assertThat(d.reason()).contains("44100").contains("0.95 s");
        clips.add(clip(30, 8000)); // one long outlier does not stretch every clip
        assertThat(AudioDefaults.of(clips).duration()).isEqualTo(1.0);
    }

    @Test
    void aLowCommonRateIsKept() {
        AudioDefaults d = AudioDefaults.of(List.of(clip(1.23, 8000), clip(1.0, 8000), clip(0.5, 48000)));
        assertThat(d.sampleRate()).isEqualTo(8000);
        assertThat(d.duration()).isEqualTo(1.3);
    }
}
