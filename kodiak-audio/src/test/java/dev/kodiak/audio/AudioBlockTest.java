package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Batch;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.InputKinds;
import dev.kodiak.data.InputPipeline;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.StepScope;
import dev.kodiak.io.StateDict;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.SoundFolder;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AudioBlock in a DataBlock: mixed files become 0..1 spectrogram batches on the engine; a model file's audio section
 * round-trips the pipeline and re-creates exactly the validation batch through the input-kind registry; show-batch
 * draws a spectrogram grid with labels and durations.
 */
class AudioBlockTest {
    @TempDir
    static Path dir;
    static List<Path> files;

    @BeforeAll
    static void sounds() throws Exception {
        files = SoundFolder.write(dir.resolve("data"), 4, 3);
    }

    private static AudioSettings settings(boolean augment) {
        return new AudioSettings(16000, 1.0, 32, 512, 160, 0, 8000, 80, augment, false, 600);
    }

    private static DataLoaders<AudioClip> loaders(AudioBlock audio) {
        return DataBlock.builder().blocks(audio, CategoryBlock.create()).items(AudioFiles::find)
                .splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .itemTransforms(audio.itemTransforms()).build()
                .dataLoaders(dir.resolve("data"), LoaderOptions.defaults().withBatchSize(3).withWorkers(1));
    }

    @Test
    void batchesAreUnitSpectrograms() {
        AudioBlock audio = AudioBlock.of(settings(true));
        try (DataLoaders<AudioClip> dls = loaders(audio); StepScope scope = StepScope.open()) {
            Batch b = dls.valid().oneBatch();
            assertThat(b.x().shape()).containsExactly(3, 1, 32, 101); // 1 + 16000 / 160 frames
            float[] v = b.x().toFloatArray();
            int per = 32 * 101;
            for (int i = 0; i < 3; i++) {
                float max = Float.NEGATIVE_INFINITY;
                float min = Float.POSITIVE_INFINITY;
                for (int j = i * per; j < (i + 1) * per; j++) {
                    max = Math.max(max, v[j]);
                    min = Math.min(min, v[j]);
                }
                assertThat(max).isEqualTo(1f); // each clip's loudest point
                assertThat(min).isGreaterThanOrEqualTo(0f); // its floor is top_db below
            }
            // training augments (masks filled with the item's mean) differently from validation
            Batch t = dls.train().oneBatch();
            assertThat(t.x().shape()).containsExactly(3, 1, 32, 101);
        }
    }

    @Test
    void theModelFilesAudioSectionRecreatesTheValidationBatch() throws Exception {
        AudioBlock audio = AudioBlock.of(settings(true));
        Manifest.Input section = AudioInput.section(audio, new Manifest.Normalization(List.of(0.45), List.of(0.25)));
        Path model = dir.resolve("m.kodiak");
        ModelFile.write(model, Manifest.of("test", "2026-01-01T00:00:00Z", new Manifest.Model("resnet18",
                new Manifest.Head("fastai", 1024, 512, 3)), section,
                new Manifest.Output(Manifest.SINGLE_LABEL, List.of("chirp", "noise", "tone"), "cross_entropy", null),
                null), StateDict.of(List.of()));
        Manifest read = ModelFile.readManifest(model);
        assertThat(read.input().kind()).isEqualTo("audio");
        assertThat(read.input().size()).containsExactly(32, 101);
        assertThat(AudioSettings.fromParameters(read.input().parameters())).isEqualTo(audio.settings());

        @SuppressWarnings("unchecked")
        InputPipeline<AudioClip> pipeline = (InputPipeline<AudioClip>) InputKinds.byName(read.input().kind())
                .pipeline(read, model);
        try (DataLoaders<AudioClip> dls = loaders(audio); StepScope scope = StepScope.open()) {
            Batch b = dls.valid().oneBatch();
            List<AudioClip> clips = new ArrayList<>();
            for (Path p : b.items()) {
                clips.add(pipeline.load(p));
            }
            float[] expected = b.x().toFloatArray();
            float[] got = pipeline.batch(clips).toFloatArray();
            assertThat(got).hasSameSizeAs(expected);
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
            }
        }
    }

    @Test
    void registryFindsAudioByNameAndByFiles() {
        assertThat(InputKinds.byName("audio")).isInstanceOf(AudioInput.class);
        assertThat(InputKinds.detect(files).name()).isEqualTo("audio");
        assertThatThrownBy(() -> InputKinds.byName("smell")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("'smell'").hasMessageContaining("audio");
    }

    @Test
    void parametersRefuseMissingOrWrongFields() {
        Map<String, Object> p = new HashMap<>(settings(false).toParameters());
        p.remove("hop");
        assertThatThrownBy(() -> AudioSettings.fromParameters(p)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("'hop'");
        Map<String, Object> q = new HashMap<>(settings(false).toParameters());
        q.put("f_max", 12000.0); // above the Nyquist frequency of 16 kHz
        assertThatThrownBy(() -> AudioSettings.fromParameters(q)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("f_max");
    }

    @Test
    void showBatchDrawsSpectrogramsWithLabelsAndDurations() throws Exception {
        AudioBlock audio = AudioBlock.of(settings(false));
        Path png = dir.resolve("batch.png");
        try (DataLoaders<AudioClip> dls = loaders(audio)) {
            dls.showBatch(png, 2);
        }
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isGreaterThan(2 * 101);
        assertThat(img.getHeight()).isGreaterThan(2 * 32);
        // the captions: label and the clip's own duration
        Path first = files.get(0);
        double seconds = AudioDecoder.standard().decode(first).seconds();
        assertThat(audio.withDurations(List.of(first), List.of("tone")))
                .containsExactly(String.format(java.util.Locale.ROOT, "tone · %.2f s", seconds));
        assertThat(seconds).isBetween(0.6, 1.3);
    }
}
