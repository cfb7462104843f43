package dev.kodiak.learn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.learn.YRange;
import org.junit.jupiter.api.Test;

/** Values computed by hand (the same definitions as scikit-learn's r2_score and f1_score). */
class MultiTaskMetricsTest {

    @Test
    void r2AveragesOverOutputColumns() {
        // column 0: y = 1,2,3 pred = 1,2,4 -> SSres 1, SStot 2 -> 0.5 ; column 1: y = 0,0,0 pred exact -> 1
        Predictions p = new Predictions(3, 2, new float[] {1, 0, 2, 0, 4, 0}, null, new float[] {1, 0, 2, 0, 3, 0}, null);
        assertThat(Metrics.r2().compute(p)).isCloseTo(0.75, within(1e-12));
        assertThat(Metrics.byName("r2").name()).isEqualTo("r2");
    }

    @Test
    void f1SamplesAndMacroOverLabels() {
        // item 0: truth {0,1}, predicted {0} -> 2*1/(1+2)=2/3 ; item 1: truth {2}, predicted {1,2} -> 2/3 ;
        // item 2: truth {}, predicted {} -> 0 (scikit-learn's zero_division)
        float[] probs = {0.9f, 0.2f, 0.1f, 0.3f, 0.6f, 0.7f, 0.1f, 0.1f, 0.1f};
        float[] truth = {1, 1, 0, 0, 0, 1, 0, 0, 0};
        Predictions p = new Predictions(3, 3, probs, null, truth, null);
        assertThat(Metrics.f1Samples().compute(p)).isCloseTo((2.0 / 3 + 2.0 / 3) / 3, within(1e-12));
        // label 0: tp1 -> 1 ; label 1: tp0 fp1 fn1 -> 0 ; label 2: tp1 -> 1  => 2/3
        assertThat(Metrics.byName("f1_macro").compute(p)).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(Metrics.accuracyMulti().compute(p)).isCloseTo(7.0 / 9, within(1e-12));
    }

    @Test
    void autoThresholdMaximizesF1SamplesAndPrefersTheMiddleOnTies() {
        // one label; positives at 0.45 and 0.5, negatives at 0.1 and 0.2: thresholds 0.25..0.40 are all perfect
        Predictions p = new Predictions(4, 1, new float[] {0.45f, 0.5f, 0.1f, 0.2f}, null, new float[] {1, 1, 0, 0}, null);
        ThresholdSearch.Result r = ThresholdSearch.best(p);
        assertThat(r.threshold()).isEqualTo(0.4);
        assertThat(r.f1Samples()).isCloseTo(0.5, within(1e-12)); // the two negatives score 0 (nothing true, nothing predicted)
        assertThatThrownBy(() -> ThresholdSearch.best(new Predictions(1, 2, new float[] {0.5f, 0.5f}, new long[] {0}, null, null)))
                .hasMessageContaining("single-label");
    }

    @Test
    void yRangeWidensTheTargetsByFivePercent() {
        YRange r = YRange.around(new double[] {10, 30, 20});
        assertThat(r.lo()).isCloseTo(9, within(1e-12));
        assertThat(r.hi()).isCloseTo(31, within(1e-12));
        assertThat(YRange.around(new double[] {4, 4}).lo()).isEqualTo(3);
        assertThat(YRange.parse(" -1, 2.5")).isEqualTo(new YRange(-1, 2.5));
        assertThatThrownBy(() -> YRange.parse("3,1")).hasMessageContaining("LO < HI");
        assertThatThrownBy(() -> YRange.parse("a,b")).hasMessageContaining("two numbers");
    }
}
