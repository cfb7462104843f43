package dev.kodiak.vision.interpret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.metrics.Predictions;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hand-made prediction set whose confusion matrix, top losses and report are known. */
class ClassificationInterpretationTest {
    static final List<String> VOCAB = List.of("cat", "dog", "fox");
    // item:          0              1              2              3              4
    static final float[] PROBS = {0.9f, 0.05f, 0.05f, 0.2f, 0.7f, 0.1f, 0.6f, 0.3f, 0.1f, 0.1f, 0.8f, 0.1f, 0.5f, 0.4f,
            0.1f,
            // 5              6              7
            0.1f, 0.6f, 0.3f, 0.2f, 0.7f, 0.1f, 0.1f, 0.1f, 0.8f};
    static final long[] ACTUAL = {0, 0, 0, 1, 1, 2, 2, 2};

    @TempDir
    Path dir;

    static ClassificationInterpretation interp() {
        return ClassificationInterpretation.of(VOCAB, Predictions.ofClasses(3, PROBS, ACTUAL), List.of());
    }

    @Test
    void confusionMatrixHasActualRowsAndPredictedColumns() {
        assertThat(interp().confusionMatrix()).isDeepEqualTo(new int[][] {{2, 1, 0}, {1, 1, 0}, {0, 2, 1}});
    }

    @Test
    void mostConfusedPairsComeLargestFirst() {
        assertThat(interp().mostConfused()).containsExactly(new Confusion("fox", "dog", 2),
                new Confusion("cat", "dog", 1), new Confusion("dog", "cat", 1));
        assertThat(interp().mostConfused(2)).containsExactly(new Confusion("fox", "dog", 2));
        assertThat(interp().mostConfused(3)).isEmpty();
    }

    @Test
    void topLossesAreTheItemsWithTheLowestProbabilityOfTheirTrueClass() {
        List<TopLoss> top = interp().topLosses(3);
        assertThat(top).extracting(TopLoss::index).containsExactly(6, 1, 5);
        TopLoss worst = top.get(0);
        assertThat(worst.actual()).isEqualTo("fox");
        assertThat(worst.predicted()).isEqualTo("dog");
        assertThat(worst.loss()).isCloseTo(-Math.log(0.1), within(1e-6));
        assertThat(worst.probability()).isCloseTo(0.7, within(1e-6));
        assertThat(worst.actualProbability()).isCloseTo(0.1, within(1e-6));
        assertThat(worst.caption()).isEqualTo("dog/fox\n2.30 / 0.70");
        assertThat(top.get(1).loss()).isCloseTo(-Math.log(0.2), within(1e-6));
        assertThat(interp().topLosses(100)).hasSize(8);
    }

    @Test
    void givenLossesAreUsedAsTheyAre() {
        float[] losses = {0, 0, 0, 0, 0, 0, 0, 5};
        var i = ClassificationInterpretation.of(VOCAB, Predictions.ofClasses(3, PROBS, ACTUAL).withLosses(losses),
                List.of());
        assertThat(i.topLosses(1).get(0).index()).isEqualTo(7);
    }

    @Test
    void classificationReportHasPrecisionRecallF1AndSupport() {
        ClassificationReport r = interp().classificationReport();
        assertThat(r.perClass()).extracting(ClassReport::label).containsExactly("cat", "dog", "fox");
        ClassReport cat = r.perClass().get(0);
        ClassReport dog = r.perClass().get(1);
        ClassReport fox = r.perClass().get(2);
        assertThat(cat.precision()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(cat.recall()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(cat.support()).isEqualTo(3);
        assertThat(dog.precision()).isCloseTo(0.25, within(1e-9));
        assertThat(dog.recall()).isCloseTo(0.5, within(1e-9));
        assertThat(dog.f1()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(fox.precision()).isCloseTo(1.0, within(1e-9));
        assertThat(fox.recall()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(fox.f1()).isCloseTo(0.5, within(1e-9));
        assertThat(r.accuracy()).isCloseTo(0.5, within(1e-9));
        assertThat(r.macroAverage().precision()).isCloseTo((2 / 3.0 + 0.25 + 1) / 3, within(1e-9));
        assertThat(r.weightedAverage().recall()).isCloseTo((3 * 2 / 3.0 + 2 * 0.5 + 3 / 3.0) / 8, within(1e-9));
        assertThat(r.table()).contains("precision").contains("weighted avg").contains("fox");
    }

    @Test
    void errorRateComesWithAReproducibleBootstrapInterval() {
        ErrorRate e = interp().errorRate();
        assertThat(e.value()).isEqualTo(0.5);
        assertThat(e.errors()).isEqualTo(4);
        assertThat(e.items()).isEqualTo(8);
        assertThat(e.low()).isLessThan(0.5).isGreaterThanOrEqualTo(0.0);
        assertThat(e.high()).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        assertThat(interp().errorRate()).isEqualTo(e);
        assertThat(e.toString()).startsWith("0.500 (95% CI ");
    }

    @Test
    void theIntervalOf18WrongIn150IsAboutFiveToSeventeenPercent() {
        int n = 150;
        float[] probs = new float[n * 2];
        long[] actual = new long[n];
        for (int i = 0; i < n; i++) {
            probs[2 * i] = i < 18 ? 0.2f : 0.8f; // the first 18 are wrong
            probs[2 * i + 1] = 1 - probs[2 * i];
        }
        var i = ClassificationInterpretation.of(List.of("a", "b"), Predictions.ofClasses(2, probs, actual), List.of());
        ErrorRate e = i.errorRate();
        assertThat(e.value()).isCloseTo(0.12, within(1e-12));
        // binomial standard error sqrt(0.12 * 0.88 / 150) = 0.0265: the interval is about ±1.96 of it
        assertThat(e.low()).isBetween(0.06, 0.085);
        assertThat(e.high()).isBetween(0.16, 0.18);
        assertThat(i.errorRate(0.5, 1000, 42).high() - i.errorRate(0.5, 1000, 42).low())
                .isLessThan(e.high() - e.low());
    }

    @Test
    void confusionMatrixPlotIsAPng() throws Exception {
        Path png = dir.resolve("confusion.png");
        interp().plotConfusionMatrix(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isGreaterThan(400);
        assertThat(img.getHeight()).isGreaterThan(400);
    }

    @Test
    void topLossesAndResultsAreDrawnFromTheImageFiles() throws Exception {
        var files = SolidImages.write(dir, 8);
        var i = ClassificationInterpretation.of(VOCAB, Predictions.ofClasses(3, PROBS, ACTUAL), files);
        assertThat(i.topLosses(1).get(0).item()).isEqualTo(dir.resolve("item6.png"));
        Path top = dir.resolve("top.png");
        i.plotTopLosses(5, top);                                                   // 3 columns, 2 rows
        assertThat(ImageIO.read(top.toFile()).getWidth()).isEqualTo(SolidImages.gridWidth(3));
        Path results = dir.resolve("results.png");
        i.plotResults(4, results);
        assertThat(ImageIO.read(results.toFile()).getWidth()).isEqualTo(SolidImages.gridWidth(2));
    }

    @Test
    void withoutImageFilesTheTopLossesCannotBeShown() {
        assertThatThrownBy(() -> interp().plotTopLosses(3, dir.resolve("t.png")))
                .isInstanceOf(KodiakException.class).hasMessageContaining("without image files");
    }

    @Test
    void multiLabelPredictionsAreRefused() {
        var multi = Predictions.ofValues(2, new float[] {0.9f, 0.1f}, new float[] {1, 0});
        assertThatThrownBy(() -> ClassificationInterpretation.of(List.of("a", "b"), multi, List.of()))
                .isInstanceOf(KodiakException.class).hasMessageContaining("single-label");
    }
}
