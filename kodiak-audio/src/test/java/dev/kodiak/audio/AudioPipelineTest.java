package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.audio.TestSounds.Pcm;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Rng;
import dev.kodiak.engine.StepScope;
import dev.kodiak.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pieces together, as the verbs will chain them: a folder of clips in mixed formats, rates, channel counts and
 * lengths → decode → resample → trim → fixed duration → one waveform batch → augment → mel → dB → augment.
 */
class AudioPipelineTest {
    @TempDir
    Path dir;

    @Test
    void mixedClipsBecomeOneBatchOfSpectrograms() throws Exception {
        TestSounds.wav(dir.resolve("tones/a.wav"), 44100, Pcm.S24, true, TestSounds.tone(440, 0.7, 44100, 0.5),
                TestSounds.tone(660, 0.7, 44100, 0.5));
        TestSounds.wav(dir.resolve("tones/b.wav"), 8000, Pcm.U8, false, TestSounds.tone(300, 2.5, 8000, 0.5));
        TestSounds.wav(dir.resolve("noise/c.wav"), 22050, Pcm.F64, false, TestSounds.noiseBursts(1.2, 22050, 0.3, 5));
        if (TestSounds.ffmpegPresent()) {
            Path src = TestSounds.wav(dir.resolve("src.tmp"), 48000, Pcm.S16, false, TestSounds.chirp(200, 3000, 1, 48000, 0.4));
            TestSounds.encode(src, dir.resolve("chirps/d.ogg"), "-f", "ogg");
        }
        List<Path> files = AudioFiles.find(dir);
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        List<ItemTransform<AudioClip>> items = List.of(Resample.to(16000), TrimSilence.standard(), FixedDuration.of(1.0));
        float[] batch = new float[files.size() * 16000];
        for (int i = 0; i < files.size(); i++) {
            AudioClip clip = AudioDecoder.standard().decode(files.get(i));
            for (ItemTransform<AudioClip> t : items) {
                clip = t.apply(clip, Rng.of(1, 0, i), true);
            }
            assertThat(clip.sampleRate()).isEqualTo(16000);
            assertThat(clip.length()).isEqualTo(16000);
            System.arraycopy(clip.samples(), 0, batch, i * 16000, 16000);
        }
        try (StepScope scope = StepScope.open()) {
            Tensor x = Tensor.of(batch, files.size(), 16000);
            Rng rng = Rng.of(1, "batch", 0, 0);
            for (AudioAugmentation a : AudioAugmentations.waveform()) {
                x = a.apply(x, rng, true);
            }
            MelSpectrogram mel = MelSpectrogram.of(16000);
            Tensor db = AmplitudeToDb.of(mel, 80).apply(mel.apply(x));
            for (AudioAugmentation a : AudioAugmentations.spectrogram()) {
                db = a.apply(db, rng, true);
            }
            assertThat(db.shape()).containsExactly(files.size(), 1, 64, 63);
            List<Float> values = new ArrayList<>();
            for (float v : db.toFloatArray()) {
                values.add(v);
            }
            assertThat(values).allMatch(Float::isFinite);
        }
    }
}
