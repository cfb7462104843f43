package dev.kodiak.vision.interpret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.compare.Bootstrap;
import dev.kodiak.compare.Estimate;
import dev.kodiak.learn.metrics.Predictions;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-made regression predictions whose errors are known. */
class RegressionInterpretationTest {
    // one target: actual 1, 2, 3, 4; predicted 1.5, 2, 2, 5 -> absolute errors 0.5, 0, 1, 1
    static final float[] ACTUAL = {1, 2, 3, 4};
    static final float[] PREDICTED = {1.5f, 2, 2, 5};
    // two targets: x as above; y actual 0, 10, 20, 30, predicted 2, 10, 20, 30 -> errors 2, 0, 0, 0
    static final float[] ACTUAL_XY = {1, 0, 2, 10, 3, 20, 4, 30};
    static final float[] PREDICTED_XY = {1.5f, 2, 2, 10, 2, 20, 5, 30};

    @TempDir
    Path dir;

    static RegressionInterpretation single() {
        return RegressionInterpretation.of(List.of("size"), Predictions.ofValues(1, PREDICTED, ACTUAL), List.of());
    }

    static RegressionInterpretation twoTargets(List<Path> items) {
        return RegressionInterpretation.of(List.of("x", "y"), Predictions.ofValues(2, PREDICTED_XY, ACTUAL_XY), items);
    }

    @Test
    void maeRmseAndR2OfOneTarget() {
        var interp = single();
        assertThat(interp.mae().value()).isCloseTo(0.625, within(1e-9));          // 2.5 / 4
        assertThat(interp.rmse().value()).isCloseTo(0.75, within(1e-9));          // sqrt(2.25 / 4)
        assertThat(interp.r2().value()).isCloseTo(0.55, within(1e-9));            // 1 - 2.25 / 5
        assertThat(interp.perTarget()).hasSize(1);
        assertThat(interp.perTarget().get(0).target()).isEqualTo("size");
        assertThat(interp.perTarget().get(0).mae()).isEqualTo(interp.mae());
        assertThat(interp.overall().target()).isEqualTo("overall");
    }

    @Test
    void everyTargetColumnHasItsOwnScoresAndTheOverallOnesPoolThem() {
        var interp = twoTargets(List.of());
        RegressionScore x = interp.perTarget().get(0);
        RegressionScore y = interp.perTarget().get(1);
        assertThat(x.target()).isEqualTo("x");
        assertThat(x.mae().value()).isCloseTo(0.625, within(1e-9));
        assertThat(x.r2().value()).isCloseTo(0.55, within(1e-9));
        assertThat(y.mae().value()).isCloseTo(0.5, within(1e-9));                 // 2 / 4
        assertThat(y.rmse().value()).isCloseTo(1.0, within(1e-9));                // sqrt(4 / 4)
        assertThat(y.r2().value()).isCloseTo(0.992, within(1e-9));                // 1 - 4 / 500
        assertThat(interp.mae().value()).isCloseTo(0.5625, within(1e-9));         // 4.5 / 8
        assertThat(interp.rmse().value()).isCloseTo(Math.sqrt(6.25 / 8), within(1e-6));
        assertThat(interp.r2().value()).isCloseTo((0.55 + 0.992) / 2, within(1e-9));
    }

    @Test
    void intervalsResampleTheItemsWithSeed42AndBracketTheirValue() {
        var interp = single();
        Estimate mae = interp.mae();
        // the MAE is a mean over items: its interval is the mean's bootstrap of the items' absolute errors
        assertThat(mae.interval()).isEqualTo(Bootstrap.meanInterval(new double[] {0.5, 0, 1, 1}, 0.95, 1000, 42));
        for (Estimate e : List.of(interp.mae(), interp.rmse(), interp.r2())) {
            assertThat(e.interval().confidence()).isEqualTo(0.95);
            assertThat(e.interval().low()).isLessThan(e.value());
            assertThat(e.interval().high()).isGreaterThan(e.value());
        }
        assertThat(interp.rmse().interval().low()).isGreaterThanOrEqualTo(0);
        assertThat(interp.rmse().interval().high()).isLessThanOrEqualTo(1);         // the largest error is 1
        assertThat(single().r2()).isEqualTo(interp.r2());                           // seeded: reproducible
        assertThat(interp.withBootstrap(0.8, 50, 7).mae().interval())
                .isEqualTo(Bootstrap.meanInterval(new double[] {0.5, 0, 1, 1}, 0.8, 50, 7));
    }

    @Test
    void onManyItemsTheIntervalIsNarrowAndHoldsTheValue() {
        SplittableRandom random = new SplittableRandom(1);
        int n = 400;
        float[] actual = new float[n];
        float[] predicted = new float[n];
        for (int i = 0; i < n; i++) {
            actual[i] = (float) (random.nextDouble() * 10);
            predicted[i] = actual[i] + (float) (random.nextDouble() * 2 - 1);       // error uniform in ±1: MAE 0.5
        }
        var interp = RegressionInterpretation.of(List.of("v"), Predictions.ofValues(1, predicted, actual), List.of());
        assertThat(interp.mae().interval().contains(0.5)).isTrue();
        assertThat(interp.mae().interval().high() - interp.mae().interval().low()).isBetween(0.03, 0.08);
        assertThat(interp.r2().value()).isBetween(0.95, 1.0);
        assertThat(interp.r2().interval().contains(interp.r2().value())).isTrue();
    }

    @Test
    void topLossesAreTheLargestAbsoluteErrorsCaptionedActualOverPredicted() {
        List<RegressionTopLoss> top = single().topLosses(3);
        assertThat(top).extracting(RegressionTopLoss::index).containsExactly(2, 3, 0);  // ties: earlier first
        assertThat(top.get(0).error()).isCloseTo(1.0, within(1e-9));
        assertThat(top.get(0).caption()).isEqualTo("size 3.00/2.00");
        assertThat(top.get(2).caption()).isEqualTo("size 1.00/1.50");
        assertThat(top.get(0).item()).isNull();

        List<RegressionTopLoss> both = twoTargets(List.of()).topLosses(4);
        assertThat(both).extracting(RegressionTopLoss::index).containsExactly(0, 2, 3, 1);
        assertThat(both.get(0).error()).isCloseTo(1.25, within(1e-9));              // (0.5 + 2) / 2
        assertThat(both.get(0).caption()).isEqualTo("x 1.00/1.50\ny 0.00/2.00");
    }

    @Test
    void smallValuesKeepThreeSignificantDigits() {
        var t = new RegressionTopLoss(0, null, List.of("scale"), new double[] {0.0125}, new double[] {-0.5}, 0.5125);
        assertThat(t.caption()).isEqualTo("scale 0.0125/-0.5");
    }

    @Test
    void reportMetricsUseTheMetricNamesWithCi95Intervals() {
        Map<String, Object> one = single().reportMetrics();
        assertThat(one).containsOnlyKeys("mae", "mae_ci95", "rmse", "rmse_ci95", "r2", "r2_ci95");
        assertThat(List.copyOf(one.keySet())).containsExactly("mae", "mae_ci95", "rmse", "rmse_ci95", "r2", "r2_ci95");
        assertThat((double) one.get("mae")).isCloseTo(0.625, within(1e-9));
        Estimate mae = single().mae();
        assertThat(one.get("mae_ci95")).isEqualTo(List.of(mae.interval().low(), mae.interval().high()));

        Map<String, Object> two = twoTargets(List.of()).reportMetrics();
        assertThat(two).containsKey("per_target");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> per = (Map<String, Map<String, Object>>) two.get("per_target");
        assertThat(per.keySet()).containsExactly("x", "y");
        assertThat((double) per.get("y").get("r2")).isCloseTo(0.992, within(1e-9));
        assertThat(per.get("y")).containsKey("r2_ci95");
        assertThat(twoTargets(List.of()).withBootstrap(0.9, 100, 1).reportMetrics()).containsKey("mae_ci90");
    }

    @Test
    void scatterResidualAndTopLossPlotsAreDecodablePngs() throws Exception {
        var interp = twoTargets(SolidImages.write(dir, 4));
        Path scatter = dir.resolve("scatter.png");
        Path residuals = dir.resolve("residuals.png");
        Path top = dir.resolve("top-losses.png");
        interp.plotScatter(scatter);
        interp.plotResiduals(residuals);
        interp.plotTopLosses(3, top);
        BufferedImage s = ImageIO.read(scatter.toFile());
        assertThat(s.getWidth()).isEqualTo(800);
        assertThat(s.getHeight()).isEqualTo(600);
        BufferedImage r = ImageIO.read(residuals.toFile());
        assertThat(r.getWidth()).isEqualTo(800);
        assertThat(r.getHeight()).isEqualTo(500);
        BufferedImage t = ImageIO.read(top.toFile());
        assertThat(t.getWidth()).isEqualTo(SolidImages.gridWidth(2));               // 3 items: 2 columns, 2 rows
        assertThat(t.getHeight()).isGreaterThan(2 * 160);
        assertThat(interp.topLosses(1).get(0).item()).isEqualTo(dir.resolve("item0.png"));
    }

    @Test
    void withoutImageFilesTheTopLossesCannotBeShown() {
        assertThatThrownBy(() -> single().plotTopLosses(3, dir.resolve("t.png")))
                .isInstanceOf(KodiakException.class).hasMessageContaining("without image files");
    }

    @Test
    void wrongShapesAndSingleLabelPredictionsAreRefused() {
        var values = Predictions.ofValues(1, PREDICTED, ACTUAL);
        assertThatThrownBy(() -> RegressionInterpretation.of(List.of("a", "b"), values, List.of()))
                .isInstanceOf(KodiakException.class).hasMessageContaining("2 target names");
        assertThatThrownBy(() -> RegressionInterpretation.of(List.of("a"), values, List.of(Path.of("x.png"))))
                .isInstanceOf(KodiakException.class).hasMessageContaining("1 items for 4 predictions");
        var classes = Predictions.ofClasses(2, new float[] {0.9f, 0.1f}, new long[] {0});
        assertThatThrownBy(() -> RegressionInterpretation.of(List.of("a", "b"), classes, List.of()))
                .isInstanceOf(KodiakException.class).hasMessageContaining("ClassificationInterpretation");
    }
}
