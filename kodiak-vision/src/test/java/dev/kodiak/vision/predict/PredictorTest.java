package dev.kodiak.vision.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.learn.Answer;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.data.SplitterSpec;
import dev.kodiak.learn.Recipe;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.testing.TinyModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictorTest {
    @TempDir
    static Path dir;
    static DataLoaders<RgbImage> dls;
    static Learner learn;
    static Path model;
    static Predictor predictor;

    @BeforeAll
    static void train() {
        dls = TinyModel.loaders(TinyModel.dataset(dir.resolve("data"), 12));
        learn = TinyModel.trained(dls);
        model = dir.resolve("tiny.kodiak");
        learn.export(model);
        predictor = Predictor.load(model);
    }

    @AfterAll
    static void close() {
        predictor.close();
        dls.close();
    }

    @Test
    void exportedModelPredictsWhatTheLearnerPredicts() {
        Predictions expected = learn.getPreds(dls.valid());
        List<Prediction> got = predictor.predictFiles(dls.valid().items());
        assertThat(got).hasSize(expected.n()).hasSize(6);
        for (int i = 0; i < expected.n(); i++) {
            for (int j = 0; j < 2; j++) {
                assertThat(got.get(i).probabilities().get(TinyModel.LABELS.get(j)))
                        .isCloseTo(expected.output(i, j), within(1e-5));
            }
            assertThat(got.get(i).index()).isEqualTo(expected.predictedClass(i));
            assertThat(got.get(i).label()).isEqualTo(TinyModel.LABELS.get(expected.predictedClass(i)));
        }
    }

    @Test
    void predictingFilesHonoursThePredictorsDecodeLimits() {
        try (Predictor small = Predictor.load(model, PredictorOptions.defaults()
                .limits(dev.kodiak.vision.DecodeLimits.DEFAULT.withMaxFileBytes(10)))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> small.predictFiles(dls.valid().items()))
                    .isInstanceOf(dev.kodiak.KodiakException.class).hasMessageContaining(
                            dls.valid().items().get(0).getFileName().toString());
            assertThat(small.predictEach(dls.valid().items())).allMatch(FilePrediction::failed);
        }
    }

    @Test
    void theLearnerAndThePredictorGiveTheSameAnswers() {
        List<Answer> learner = learn.decoder().decodeAll(learn.getPreds(dls.valid()));
        List<Prediction> exported = predictor.predictFiles(dls.valid().items());
        assertThat(exported).hasSize(learner.size());
        for (int i = 0; i < learner.size(); i++) {
            Answer a = learner.get(i);
            Prediction p = exported.get(i);
            assertThat(p.label()).isEqualTo(a.label());
            assertThat(p.index()).isEqualTo(a.index());
            assertThat(p.labels()).isEqualTo(a.labels());
            assertThat(p.probabilities().keySet()).containsExactlyElementsOf(a.probabilities().keySet());
            a.probabilities().forEach((label, prob) -> assertThat(p.probabilities().get(label)).isCloseTo(prob, within(1e-5)));
        }
    }

    @Test
    void theManifestDescribesInputAndOutputs() {
        Manifest m = predictor.manifest();
        assertThat(m.formatVersion()).isEqualTo(Manifest.FORMAT_VERSION);
        assertThat(m.output().labels()).isEqualTo(TinyModel.LABELS);
        assertThat(m.input().size()).containsExactly(32, 32);
        assertThat(predictor.inputSize()).containsExactly(32, 32);
        assertThat(m.output().task()).isEqualTo(Manifest.SINGLE_LABEL);
        assertThat(m.training().recipe()).isEqualTo(Recipe.fitOneCycle(1, 1e-3));
        assertThat(m.training().recipe().describe()).isEqualTo("fit_one_cycle(1, lr_max=0.001)");
        assertThat(m.trainingData().split()).isEqualTo(new SplitterSpec.Random(0.25, 0, 42));
        assertThat(m.trainingData().validFiles()).hasSize(6).allMatch(f -> f.startsWith("blue/") || f.startsWith("red/"));
    }

    @Test
    void foldedBatchNormGivesTheUnfoldedOutputs() {
        try (Predictor plain = Predictor.load(model, PredictorOptions.defaults().foldBatchNorm(false))) {
            List<Prediction> folded = predictor.predictFiles(dls.train().items());
            List<Prediction> unfolded = plain.predictFiles(dls.train().items());
            for (int i = 0; i < folded.size(); i++) {
                for (String label : TinyModel.LABELS) {
                    assertThat(folded.get(i).probabilities().get(label))
                            .isCloseTo(unfolded.get(i).probabilities().get(label), within(1e-4));
                }
            }
        }
    }

    @Test
    void bf16PredictionsAreTheFloat32OnesToBfloat16Precision() {
        try (Predictor bf16 = Predictor.load(model, PredictorOptions.defaults().bf16(true))) {
            List<Prediction> full = predictor.predictFiles(dls.train().items());
            List<Prediction> half = bf16.predictFiles(dls.train().items());
            double largestGap = 0;
            for (int i = 0; i < full.size(); i++) {
                for (String label : TinyModel.LABELS) {
                    double gap = Math.abs(full.get(i).probabilities().get(label) - half.get(i).probabilities().get(label));
                    largestGap = Math.max(largestGap, gap);
                }
                double sum = half.get(i).probabilities().values().stream().mapToDouble(Double::doubleValue).sum();
                assertThat(sum).isCloseTo(1.0, within(1e-5)); // softmax runs in float32 after the bf16 forward
            }
            // bfloat16 keeps 8 bits of mantissa: close to float32, but not identical (else autocast was off)
            assertThat(largestGap).isLessThan(0.05).isGreaterThan(0.0);
        }
    }

    @Test
    void everyKindOfImageInputGivesTheSameAnswer() throws Exception {
        Path file = dls.valid().items().get(0);
        byte[] bytes = Files.readAllBytes(file);
        BufferedImage buffered = ImageIO.read(file.toFile());
        Prediction fromPath = predictor.predict(file);
        assertThat(predictor.predict(bytes, "upload.png")).isEqualTo(fromPath);
        assertThat(predictor.predict(new ByteArrayInputStream(bytes), "stream")).isEqualTo(fromPath);
        assertThat(predictor.predict(buffered)).isEqualTo(fromPath);
        assertThat(fromPath.probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-5));
        assertThat(fromPath.labels()).containsExactly(fromPath.label());
    }

    @Test
    void batchesOfAnySizeGiveTheSinglesAnswers() {
        List<Path> files = new ArrayList<>(dls.train().items().subList(0, 7));
        try (Predictor small = Predictor.load(model, PredictorOptions.defaults().maxBatch(3))) {
            List<Prediction> batched = small.predictFiles(files);
            for (int i = 0; i < files.size(); i++) {
                Prediction single = predictor.predict(files.get(i));
                assertThat(batched.get(i).label()).isEqualTo(single.label());
                assertThat(batched.get(i).probability()).isCloseTo(single.probability(), within(1e-5));
            }
        }
    }

    @Test
    void concurrentCallersGetTheSequentialAnswers() throws Exception {
        List<Path> files = dls.train().items();
        List<Prediction> sequential = predictor.predictFiles(files);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Prediction>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (Path f : files) {
                    futures.add(pool.submit(() -> predictor.predict(f)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                Prediction p = futures.get(i).get();
                Prediction s = sequential.get(i % files.size());
                assertThat(p.label()).isEqualTo(s.label());
                assertThat(p.probability()).isCloseTo(s.probability(), within(1e-5));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedPredictorSaysSo() {
        Predictor p = Predictor.load(model);
        p.close();
        p.close(); // idempotent
        assertThatThrownBy(() -> p.predict(dls.valid().items().get(0)))
                .isInstanceOf(KodiakException.class).hasMessageContaining("is closed");
    }

    @Test
    void aBrokenImageIsAClearError() {
        assertThatThrownBy(() -> predictor.predict(new byte[] {1, 2, 3, 4}, "junk.jpg"))
                .isInstanceOf(KodiakException.class).hasMessageContaining("junk.jpg");
    }

    @Test
    void multiLabelAndRegressionModelsAnswerInTheirOwnShape() {
        var contents = ModelFile.read(model);
        Manifest m = contents.manifest();
        Path multi = dir.resolve("multi.kodiak");
        ModelFile.write(multi, m.with(m.model(), m.input(), new Manifest.Output(Manifest.MULTI_LABEL,
                List.of("blue", "red"), "bce_with_logits", 0.5), m.training()), contents.weights());
        Path regression = dir.resolve("regression.kodiak");
        ModelFile.write(regression, m.with(m.model(), m.input(), new Manifest.Output(Manifest.REGRESSION,
                List.of("x", "y"), "mse", null), m.training()), contents.weights());
        Path image = dls.valid().items().get(0);
        try (Predictor p = Predictor.load(multi); Predictor r = Predictor.load(regression)) {
            Prediction ml = p.predict(image);
            for (String label : ml.labels()) {
                assertThat(ml.probabilities().get(label)).isGreaterThanOrEqualTo(0.5);
            }
            assertThat(ml.probabilities()).allSatisfy((l, v) ->
                    assertThat(ml.labels().contains(l)).isEqualTo(v >= 0.5));
            assertThat(ml.toJson("a.png")).containsOnlyKeys("file", "labels", "probabilities");
            Prediction rv = r.predict(image);
            assertThat(rv.values()).containsOnlyKeys("x", "y");
            assertThat(rv.label()).isNull();
            assertThat(rv.toJson("a.png")).containsOnlyKeys("file", "values");
            // the regression output is the raw logit; softmax of the two logits is the single-label answer
            double x = rv.values().get("x");
            double y = rv.values().get("y");
            assertThat(1 / (1 + Math.exp(y - x))).isCloseTo(predictor.predict(image).probabilities().get("blue"),
                    within(1e-5));
        }
        assertThat(predictor.predict(image).toJson("a.png")).containsOnlyKeys("file", "label", "index", "probabilities");
    }
}
