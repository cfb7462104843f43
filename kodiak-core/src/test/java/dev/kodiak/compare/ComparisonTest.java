package dev.kodiak.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.metrics.Predictions;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    @Test
    void singleLabelComparesErrorsWithMcNemar() {
        // 100 items of two classes: both right on 70, both wrong on 10, only A right on 5, only B right on 15
        int n = 100;
        long[] targets = new long[n];
        float[] a = new float[n * 2];
        float[] b = new float[n * 2];
        for (int i = 0; i < n; i++) {
            targets[i] = i % 2;
            boolean aRight = i < 70 || (i >= 80 && i < 85);
            boolean bRight = i < 70 || i >= 85;
            put(a, i, aRight ? (int) targets[i] : 1 - (int) targets[i]);
            put(b, i, bRight ? (int) targets[i] : 1 - (int) targets[i]);
        }
        Comparison c = Comparison.of(Predictions.ofClasses(2, a, targets), Predictions.ofClasses(2, b, targets));

        assertThat(c.n()).isEqualTo(100);
        assertThat(c.test()).isEqualTo("mcnemar-exact");
        assertThat(c.a().value()).isEqualTo(0.25);
        assertThat(c.b().value()).isEqualTo(0.15);
        assertThat(c.difference()).isCloseTo(-0.10, within(1e-12));
        assertThat(c.discordant()).isEqualTo(new Discordant(5, 15));
        assertThat(c.pValue()).isEqualTo(new McNemar(5, 15).pValue());
        assertThat(c.pValue()).isCloseTo(0.04138946533203125, within(1e-15)); // 2·P(B(20, ½) <= 5)
        assertThat(c.differenceInterval().contains(-0.10)).isTrue();
        assertThat(c.differenceInterval().high()).isLessThan(0);
        assertThat(c.a().interval().contains(0.25)).isTrue();
        // Connor with p10 = 0.05, p01 = 0.15
        assertThat(c.itemsForPower(0.8)).isEqualTo(SampleSize.mcNemar(0.05, 0.15, 0.8, 0.05));
    }

    @Test
    void regressionComparesAbsoluteErrorsWithAPermutationTest() {
        float[] targets = {1, 2, 3, 4, 5, 6};
        float[] a = {1.5f, 2.5f, 2.0f, 4.0f, 6.0f, 6.5f}; // |e| = .5 .5 1 0 1 .5
        float[] b = {1.0f, 2.0f, 3.5f, 4.0f, 5.5f, 6.0f}; // |e| = 0 0 .5 0 .5 0
        Comparison c = Comparison.of(Predictions.ofValues(1, a, targets), Predictions.ofValues(1, b, targets),
                ItemMeasure.MAE);
        assertThat(c.test()).isEqualTo("permutation");
        assertThat(c.a().value()).isCloseTo(3.5 / 6, within(1e-12));
        assertThat(c.b().value()).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(c.difference()).isCloseTo(-2.5 / 6, within(1e-12));
        assertThat(c.discordant()).isEqualTo(new Discordant(0, 5)); // B closer on 5 items, a tie on one
        // differences -.5 -.5 -.5 -.5 -.5: only the two all-same-sign flips reach |sum| = 2.5 → 2/32
        assertThat(c.pValue()).isEqualTo(2.0 / 32);
        assertThat(c.itemsForPower(0.8)).isPresent();
    }

    @Test
    void multiLabelComparesPerItemAccuracyMulti() {
        float[] targets = {1, 0, 1, 0, 0, 1};             // 3 items × 2 labels
        float[] a = {0.9f, 0.6f, 0.2f, 0.1f, 0.3f, 0.8f}; // right: 1 of 2, 1 of 2, 2 of 2
        float[] b = {0.9f, 0.1f, 0.7f, 0.1f, 0.3f, 0.8f}; // right: 2, 2, 2
        Comparison c = Comparison.of(Predictions.ofValues(2, a, targets), Predictions.ofValues(2, b, targets),
                ItemMeasure.ACCURACY_MULTI);
        assertThat(c.valuesA()).containsExactly(0.5, 0.5, 1.0);
        assertThat(c.b().value()).isEqualTo(1.0);
        assertThat(c.difference()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(c.discordant()).isEqualTo(new Discordant(0, 2)); // higher is better: B on two items
        assertThat(c.pValue()).isEqualTo(0.5);                   // two differences of .5: 2 of 4 flips
    }

    @Test
    void noDifferenceMeansNoSampleSize() {
        Comparison c = Comparison.ofValues(new double[] {0, 1, 1, 0}, new double[] {1, 0, 1, 0}, ItemMeasure.ERROR_RATE);
        assertThat(c.difference()).isEqualTo(0.0);
        assertThat(c.pValue()).isEqualTo(1.0);
        assertThat(c.itemsForPower(0.8)).isEmpty();
    }

    @Test
    void refusesPredictionsOnDifferentItems() {
        Predictions a = Predictions.ofClasses(2, new float[] {1, 0, 0, 1}, new long[] {0, 1});
        Predictions b = Predictions.ofClasses(2, new float[] {1, 0, 0, 1}, new long[] {1, 1});
        assertThatThrownBy(() -> Comparison.of(a, b)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("different targets");
        assertThatThrownBy(() -> Comparison.ofValues(new double[] {0, 1}, new double[] {0.5, 1}, ItemMeasure.ERROR_RATE))
                .isInstanceOf(KodiakException.class).hasMessageContaining("0 or 1");
    }

    private static void put(float[] outputs, int item, int predicted) {
        outputs[item * 2 + predicted] = 0.9f;
        outputs[item * 2 + 1 - predicted] = 0.1f;
    }
}
