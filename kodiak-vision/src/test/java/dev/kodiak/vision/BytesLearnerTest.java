package dev.kodiak.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.InputKinds;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.models.Architectures;
import dev.kodiak.testing.BinaryFolder;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import dev.kodiak.vision.predict.FilePrediction;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.transforms.Resize;
import dev.kodiak.vision.transforms.ResizeMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files as pictures of their bytes through the same learner: two kinds of synthesized "binaries" train a one-channel
 * ResNet-18 a few steps from scratch; the model file records {@code input.kind: "bytes"} and its limit, and the
 * predictor it loads gives the learner's validation outputs.
 */
@Tag("slow")
class BytesLearnerTest {
    @TempDir
    Path dir;

    @Test
    void aModelTrainedOnBytesPredictsWhatTheLearnerPredictsAndRefusesBadFiles() throws Exception {
        BinaryFolder.write(dir.resolve("data"), 8, 7);
        BytesBlock bytes = BytesBlock.of(64 * 1024);
        try (DataLoaders<RgbImage> dls = DataBlock.builder().blocks(bytes, CategoryBlock.create())
                .items(BytesFiles::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .itemTransforms(List.of(Resize.to(32).method(ResizeMethod.SQUISH))).build()
                .dataLoaders(dir.resolve("data"), LoaderOptions.defaults().withBatchSize(4).withWorkers(1))) {
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18, VisionLearnerOptions.defaults()
                    .weights(PretrainedChoice.none()).metrics(List.of(Metrics.errorRate())));
            learn.fit(1, 1e-3);
            Path model = dir.resolve("binaries.kodiak");
            learn.export(model);

            Manifest m = ModelFile.readManifest(model);
            assertThat(m.input().kind()).isEqualTo("bytes");
            assertThat(m.input().channels()).isEqualTo(1);
            assertThat(m.input().size()).containsExactly(32, 32);
            assertThat(m.input().normalization().mean()).hasSize(1);
            assertThat(m.input().parameters()).containsEntry("max_bytes", 65536);
            assertThat(m.input().itemTransforms()).hasSize(1);
            assertThat(m.output().labels()).containsExactly("elf", "packed");
            // the registry finds the kind by the name the file records
            assertThat(InputKinds.byName("bytes")).isInstanceOf(BytesInput.class);

            Predictions expected = learn.getPreds(dls.valid());
            try (Predictor predictor = Predictor.load(model)) {
                List<Prediction> got = predictor.predictFiles(dls.valid().items());
                assertThat(got).hasSize(expected.n()).isNotEmpty();
                for (int i = 0; i < expected.n(); i++) {
                    for (int j = 0; j < 2; j++) {
                        assertThat(got.get(i).probabilities().get(m.output().labels().get(j)))
                                .isCloseTo(expected.output(i, j), within(1e-5));
                    }
                    assertThat(got.get(i).index()).isEqualTo(expected.predictedClass(i));
                }

                // bad files are per-file errors that say what is wrong, with the recorded limit
                Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);
                Path big = Files.write(dir.resolve("big.bin"), new byte[64 * 1024 + 1]);
                List<FilePrediction> each = predictor.predictEach(List.of(empty, big, dls.valid().items().get(0)));
                assertThat(each.get(0).failed()).isTrue();
                assertThat(each.get(0).error()).contains("empty.bin").contains("empty (0 bytes)");
                assertThat(each.get(1).failed()).isTrue();
                assertThat(each.get(1).error()).contains("big.bin").contains("65,537 bytes").contains("65,536");
                assertThat(each.get(2).failed()).isFalse();
            }
        }
    }

    @Test
    void aBytesSectionWithoutItsLimitOrWithThreeChannelsIsRefusedNamingTheFile() {
        Path file = dir.resolve("m.kodiak");
        Manifest.Normalization n = new Manifest.Normalization(List.of(0.45), List.of(0.226));
        var specs = dev.kodiak.vision.transforms.TransformSpecs.toSpecs(
                List.of(Resize.to(32).method(ResizeMethod.SQUISH)));
        BytesInput kind = new BytesInput();
        Manifest noLimit = manifest(new Manifest.Input("bytes", 1, List.of(32, 32), specs, n, null));
        assertThatThrownBy(() -> kind.pipeline(noLimit, file)).isInstanceOf(KodiakException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("max_bytes");
        Manifest rgb = manifest(new Manifest.Input("bytes", 3, List.of(32, 32), specs, n, Map.of("max_bytes", 100)));
        assertThatThrownBy(() -> kind.pipeline(rgb, file)).hasMessageContaining("3 channels");
        Manifest wrongSize = manifest(new Manifest.Input("bytes", 1, List.of(64, 64), specs, n,
                Map.of("max_bytes", 100)));
        assertThatThrownBy(() -> kind.pipeline(wrongSize, file)).hasMessageContaining("[64, 64]");
        Manifest ok = manifest(new Manifest.Input("bytes", 1, List.of(32, 32), specs, n, Map.of("max_bytes", 100)));
        assertThat(((BytesBlock) kind.pipeline(ok, file).block()).maxBytes()).isEqualTo(100);
        // any file is bytes: a folder is never detected as bytes
        assertThat(kind.recognises(Path.of("a.exe"))).isFalse();
    }

    private static Manifest manifest(Manifest.Input input) {
        return Manifest.of("test", "2026-12-07T00:00:00Z", new Manifest.Model("resnet18",
                new Manifest.Head("fastai", 1024, 512, 2)), input,
                new Manifest.Output(Manifest.SINGLE_LABEL, List.of("a", "b"), "cross_entropy", null), null);
    }
}
