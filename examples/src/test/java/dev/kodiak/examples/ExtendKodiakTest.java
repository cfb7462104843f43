package dev.kodiak.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.data.Rng;
import dev.kodiak.learn.EpochResult;
import dev.kodiak.learn.loss.Losses;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.model.ModelFile;
import dev.kodiak.tensor.Tensor;
import dev.kodiak.vision.predict.Prediction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The four "extend Kodiak" examples, each trained for one epoch on 10 images per class of the demo data (32 px,
 * ResNet-18 from random weights), with their pieces checked against hand-computed values.
 */
class ExtendKodiakTest {
    private static final Path DEMO = Path.of("..", "data", "clipart3");

    @TempDir
    static Path dir;
    static Path sample;

    @BeforeAll
    static void sampleTheDemoData() throws IOException {
        sample = dir.resolve("clipart");
        for (String label : List.of("animals", "flags", "food")) {
            Files.createDirectories(sample.resolve(label));
            try (Stream<Path> files = Files.list(DEMO.resolve(label))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".png")).sorted().limit(10).toList()) {
                    Files.copy(f, sample.resolve(label).resolve(f.getFileName()));
                }
            }
        }
    }

    @Test
    void smoothedCrossEntropyEqualsTheHandComputedLossAndTrains() {
        Tensor logits = Tensor.of(new float[] {2, 0, -1, 0.5f, 0.5f, 3}, 2, 3);
        Tensor target = Tensor.of(new long[] {0, 2}, 2);
        float[] mine = new SmoothedCrossEntropy(0.1).perItem(logits, target).toFloatArray();
        // item 0 by hand: log-sum-exp of (2, 0, −1) and the two terms of the smoothed loss
        double lse = Math.log(Math.exp(2) + Math.exp(0) + Math.exp(-1));
        double nll = lse - 2;
        double spread = ((lse - 2) + (lse - 0) + (lse + 1)) / 3;
        assertThat((double) mine[0]).isCloseTo(0.9 * nll + 0.1 * spread, within(1e-5));
        assertThat(mine).containsExactly(Losses.crossEntropy(0.1).perItem(logits, target).toFloatArray(), within(1e-5f));

        EpochResult epoch = SmoothedCrossEntropy.train(new String[] {sample.toString()});
        assertThat(epoch.trainLoss()).isFinite().isPositive();
        assertThat(epoch.validLoss()).isFinite().isPositive();
    }

    @Test
    void balancedAccuracyIsTheMeanRecallOverClassesAndTrains() {
        // class 0: 2 of 3 right; class 1: 1 of 1 right; class 2: no items (left out) → (2/3 + 1) / 2
        float[] probs = {0.9f, 0.1f, 0, 0.8f, 0.2f, 0, 0.3f, 0.7f, 0, 0.1f, 0.9f, 0};
        Predictions p = Predictions.ofClasses(3, probs, new long[] {0, 0, 0, 1});
        assertThat(new BalancedAccuracy().compute(p)).isCloseTo((2.0 / 3 + 1) / 2, within(1e-12));

        EpochResult epoch = BalancedAccuracy.train(new String[] {sample.toString()});
        assertThat(epoch.metrics()).containsKeys("balanced_accuracy", "error_rate");
        assertThat(epoch.metrics().get("balanced_accuracy")).isBetween(0.0, 1.0);
    }

    @Test
    void randomGreyscaleGreysChosenTrainingImagesOnlyAndTrains() {
        Tensor x = Tensor.rand(4, 3, 5, 5);
        float[] all = new RandomGreyscale(1).apply(x, Rng.of(1, 0, 0), true).toFloatArray();
        float[] original = x.toFloatArray();
        int plane = 25;
        for (int img = 0; img < 4; img++) {
            for (int i = 0; i < plane; i++) {
                int r = img * 3 * plane + i;
                double luma = 0.299 * original[r] + 0.587 * original[r + plane] + 0.114 * original[r + 2 * plane];
                assertThat((double) all[r]).isCloseTo(luma, within(1e-5));
                assertThat(all[r + plane]).isEqualTo(all[r]);
                assertThat(all[r + 2 * plane]).isEqualTo(all[r]);
            }
        }
        assertThat(new RandomGreyscale(1).apply(x, Rng.of(1, 0, 0), false).toFloatArray()).containsExactly(original);
        assertThat(new RandomGreyscale(0).apply(x, Rng.of(1, 0, 0), true).toFloatArray()).containsExactly(original);

        EpochResult epoch = RandomGreyscale.train(new String[] {sample.toString()});
        assertThat(epoch.trainLoss()).isFinite().isPositive();
    }

    @Test
    void aCustomHeadTrainsExportsAndPredictsAsTheLearner() {
        Path model = dir.resolve("small-head.kodiak");
        SmallHead.Outcome o = SmallHead.train(sample, model);

        assertThat(o.headAfter()).hasSameSizeAs(o.headBefore()).isNotEqualTo(o.headBefore()); // the head trained
        assertThat(ModelFile.readManifest(model).model().head().type()).isEqualTo(SmallHead.NAME);
        Predictions learner = o.learner();
        List<Prediction> exported = o.exported();
        assertThat(exported).hasSize(learner.n());
        List<String> labels = o.vocab(); // the learner's output order
        for (int i = 0; i < learner.n(); i++) {
            assertThat(exported.get(i).index()).as("item %d", i).isEqualTo(learner.predictedClass(i));
            for (int j = 0; j < learner.k(); j++) {
                assertThat(exported.get(i).probabilities().get(labels.get(j)))
                        .as("item %d, %s", i, labels.get(j)).isCloseTo(learner.output(i, j), within(1e-4));
            }
        }
    }
}
