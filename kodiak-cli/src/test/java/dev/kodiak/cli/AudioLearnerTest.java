package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.audio.AudioBlock;
import dev.kodiak.audio.AudioClip;
import dev.kodiak.audio.AudioFiles;
import dev.kodiak.audio.AudioSettings;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.SoundFolder;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sound through the same learner: synthesized tones, chirps and noise in mixed containers, rates and channel counts
 * train a one-channel ResNet-18 a few steps from scratch; the model file records the audio pipeline, and the
 * predictor it loads gives the learner's validation outputs.
 */
@Tag("slow")
class AudioLearnerTest {
    @TempDir
    Path dir;

    @Test
    void aModelTrainedOnSoundPredictsWhatTheLearnerPredicts() throws Exception {
        SoundFolder.write(dir.resolve("data"), 4, 11);
        AudioSettings settings = new AudioSettings(16000, 0.5, 32, 512, 256, 0, 8000, 80, true, false, 600);
        AudioBlock audio = AudioBlock.of(settings);
        try (DataLoaders<AudioClip> dls = DataBlock.builder().blocks(audio, CategoryBlock.create())
                .items(AudioFiles::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .itemTransforms(audio.itemTransforms()).build()
                .dataLoaders(dir.resolve("data"), LoaderOptions.defaults().withBatchSize(4).withWorkers(1))) {
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18, VisionLearnerOptions.defaults()
                    .weights(PretrainedChoice.none()).metrics(List.of(Metrics.errorRate())));
            learn.fit(1, 1e-3);
            Path model = dir.resolve("sounds.kodiak");
            learn.export(model);

            Manifest m = ModelFile.readManifest(model);
            assertThat(m.input().kind()).isEqualTo("audio");
            assertThat(m.input().channels()).isEqualTo(1);
            assertThat(m.input().size()).containsExactly(32, 32); // 1 + 8000 / 256 frames
            assertThat(m.input().normalization().mean()).hasSize(1);
            assertThat(AudioSettings.fromParameters(m.input().parameters())).isEqualTo(settings);
            assertThat(m.output().labels()).containsExactly("chirp", "noise", "tone");

            Predictions expected = learn.getPreds(dls.valid());
            try (Predictor predictor = Predictor.load(model)) {
                List<Prediction> got = predictor.predictFiles(dls.valid().items());
                assertThat(got).hasSize(expected.n()).isNotEmpty();
                for (int i = 0; i < expected.n(); i++) {
                    for (int j = 0; j < 3; j++) {
                        assertThat(got.get(i).probabilities().get(m.output().labels().get(j)))
                                .isCloseTo(expected.output(i, j), within(1e-5));
                    }
                    assertThat(got.get(i).index()).isEqualTo(expected.predictedClass(i));
                }
            }
        }
    }
}
