package dev.kodiak.learn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    /**
     * Five items, three classes (4 outputs: class 3 never occurs):
     * item 0: target 0, predicted 0        item 3: target 2, predicted 1 (target ranked 3rd)
     * item 1: target 1, predicted 1        item 4: target 0, tie 0/1 → 0 (lowest index wins)
     * item 2: target 2, predicted 0 (target ranked 2nd)
     */
    private static Predictions fiveItems() {
        float[] probs = {
            0.7f, 0.2f, 0.1f, 0.0f,
            0.1f, 0.8f, 0.1f, 0.0f,
            0.5f, 0.1f, 0.4f, 0.0f,
            0.3f, 0.5f, 0.2f, 0.0f,
            0.4f, 0.4f, 0.2f, 0.0f,
        };
        return Predictions.ofClasses(4, probs, new long[] {0, 1, 2, 2, 0});
    }

    @Test
    void errorRateAndAccuracyAreOverTheWholeSet() {
        assertThat(Metrics.accuracy().compute(fiveItems())).isEqualTo(3.0 / 5);
        assertThat(Metrics.errorRate().compute(fiveItems())).isCloseTo(2.0 / 5, within(1e-15));
        assertThat(Metrics.errorRate().name()).isEqualTo("error_rate");
        assertThat(Metrics.errorRate().higherIsBetter()).isFalse();
        assertThat(Metrics.accuracy().higherIsBetter()).isTrue();
    }

    @Test
    void argmaxTiesGoToTheLowestIndex() {
        Predictions tieTargetOne = Predictions.ofClasses(2, new float[] {0.5f, 0.5f}, new long[] {1});
        Predictions tieTargetZero = Predictions.ofClasses(2, new float[] {0.5f, 0.5f}, new long[] {0});
        assertThat(Metrics.accuracy().compute(tieTargetOne)).isZero();
        assertThat(Metrics.accuracy().compute(tieTargetZero)).isEqualTo(1);
        assertThat(fiveItems().predictedClass(4)).isZero();
    }

    @Test
    void topKAccuracyCountsTheTargetAmongTheKMostProbable() {
        // top 2: items 0, 1 (first), 2 (second), 4 (target 0 wins the tie) → 4 of 5; item 3's target is third
        assertThat(Metrics.topKAccuracy(2).compute(fiveItems())).isEqualTo(4.0 / 5);
        assertThat(Metrics.topKAccuracy(3).compute(fiveItems())).isEqualTo(1.0);
        assertThat(Metrics.topKAccuracy(1).compute(fiveItems())).isEqualTo(Metrics.accuracy().compute(fiveItems()));
        assertThat(Metrics.topKAccuracy(2).name()).isEqualTo("top_2_accuracy");
        // a tied target with a higher index loses the tie
        Predictions tie = Predictions.ofClasses(3, new float[] {0.4f, 0.4f, 0.2f}, new long[] {1});
        assertThat(Metrics.topKAccuracy(1).compute(tie)).isZero();
        assertThat(Metrics.topKAccuracy(2).compute(tie)).isEqualTo(1);
        assertThatThrownBy(() -> Metrics.topKAccuracy(5).compute(fiveItems())).isInstanceOf(KodiakException.class)
                .hasMessageContaining("top_5_accuracy needs at least 5 classes, the model has 4");
    }

    @Test
    void f1MacroAveragesOverClassesPresentInTargetsOrPredictions() {
        // class 0: tp 2 (items 0, 4), fp 1 (item 2), fn 0 → F1 = 4/5
        // class 1: tp 1 (item 1), fp 1 (item 3), fn 0      → F1 = 2/3
        // class 2: tp 0, fp 0, fn 2 (items 2, 3)           → F1 = 0
        // class 3: never a target, never predicted         → left out
        double expected = (4.0 / 5 + 2.0 / 3 + 0) / 3;
        assertThat(Metrics.f1Macro().compute(fiveItems())).isCloseTo(expected, within(1e-15));
        assertThat(Metrics.f1Macro().name()).isEqualTo("f1_score");
        // perfect predictions give 1
        Predictions perfect = Predictions.ofClasses(2, new float[] {0.9f, 0.1f, 0.2f, 0.8f}, new long[] {0, 1});
        assertThat(Metrics.f1Macro().compute(perfect)).isEqualTo(1.0);
    }

    @Test
    void accuracyMultiComparesEveryLabelAtTheThreshold() {
        // 2 items × 3 labels; predicted (> 0.5): [1,0,1] [0,0,1]; targets [1,0,0] [0,1,1] → right: 1,1,0, 1,0,1
        Predictions p = Predictions.ofValues(3, new float[] {0.9f, 0.2f, 0.6f, 0.5f, 0.1f, 0.7f},
                new float[] {1, 0, 0, 0, 1, 1});
        assertThat(Metrics.accuracyMulti().compute(p)).isEqualTo(4.0 / 6);
        // at 0.65 the third label of item 0 is no longer predicted: right 1,1,1, 1,0,1
        assertThat(Metrics.accuracyMulti(0.65).compute(p)).isEqualTo(5.0 / 6);
        assertThat(Metrics.accuracyMulti().name()).isEqualTo("accuracy_multi");
    }

    @Test
    void regressionErrors() {
        Predictions p = Predictions.ofValues(2, new float[] {1, 2, 3, 4}, new float[] {0, 2, 5, 4});
        assertThat(Metrics.mse().compute(p)).isEqualTo(5.0 / 4);
        assertThat(Metrics.mae().compute(p)).isEqualTo(3.0 / 4);
        assertThat(Metrics.rmse().compute(p)).isEqualTo(Math.sqrt(5.0 / 4));
        assertThat(Metrics.rmse().higherIsBetter()).isFalse();
    }

    @Test
    void noItemsGiveNaN() {
        Predictions none = Predictions.ofClasses(3, new float[0], new long[0]);
        assertThat(Metrics.errorRate().compute(none)).isNaN();
    }

    @Test
    void metricsRefusePredictionsOfTheWrongKind() {
        Predictions regression = Predictions.ofValues(1, new float[] {1}, new float[] {2});
        assertThatThrownBy(() -> Metrics.errorRate().compute(regression)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("single-label").hasMessageContaining("accuracy_multi");
        assertThatThrownBy(() -> Metrics.mse().compute(fiveItems())).isInstanceOf(KodiakException.class)
                .hasMessageContaining("mse");
    }

    @Test
    void metricsByName() {
        assertThat(Metrics.byNames("error_rate, accuracy,top_3_accuracy,f1_score").stream().map(Metric::name))
                .containsExactly("error_rate", "accuracy", "top_3_accuracy", "f1_score");
        assertThat(Metrics.byName("top_k_accuracy").name()).isEqualTo("top_5_accuracy");
        assertThat(List.of("accuracy_multi", "mse", "mae", "rmse"))
                .allSatisfy(n -> assertThat(Metrics.byName(n).name()).isEqualTo(n));
        assertThat(Metrics.byNames(" ")).isEmpty();
        assertThatThrownBy(() -> Metrics.byName("precision")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("unknown metric 'precision'").hasMessageContaining("error_rate")
                .hasMessageContaining("f1_score");
    }

    @Test
    void predictionsCheckTheirShape() {
        assertThatThrownBy(() -> Predictions.ofClasses(3, new float[5], new long[] {0, 1}))
                .isInstanceOf(KodiakException.class).hasMessageContaining("need 6 output values, got 5");
        assertThatThrownBy(() -> Predictions.ofClasses(2, new float[2], new long[] {2}))
                .isInstanceOf(KodiakException.class).hasMessageContaining("class target 2 of item 0");
        assertThatThrownBy(() -> fiveItems().withLosses(new float[2])).isInstanceOf(KodiakException.class);
        assertThat(fiveItems().withLosses(new float[5]).losses()).hasSize(5);
        assertThat(fiveItems()).isEqualTo(fiveItems());
    }
}
