package dev.kodiak.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    @Test
    void sameSeedSameIntervalAndTheIntervalHoldsTheMean() {
        double[] values = {0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
        Interval i = Bootstrap.meanInterval(values, 0.95, 2000, 7);
        assertThat(Bootstrap.meanInterval(values, 0.95, 2000, 7)).isEqualTo(i);
        assertThat(i.contains(0.25)).isTrue();
        assertThat(i.low()).isGreaterThanOrEqualTo(0);
        assertThat(i.high()).isLessThan(0.7);
    }

    @Test
    void anyStatisticOfTheResampledItemsGetsAnInterval() {
        double[] values = {3, 1, 4, 1, 5, 9, 2, 6};
        Interval ofMean = Bootstrap.interval(values.length, drawn -> {
            double sum = 0;
            for (int i : drawn) {
                sum += values[i];
            }
            return sum / drawn.length;
        }, 0.9, 500, 11);
        assertThat(ofMean).isEqualTo(Bootstrap.meanInterval(values, 0.9, 500, 11));   // the same draws
        Interval ofMax = Bootstrap.interval(values.length, drawn -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int i : drawn) {
                max = Math.max(max, values[i]);
            }
            return max;
        }, 0.9, 500, 11);
        assertThat(ofMax.high()).isEqualTo(9);             // most resamples hold the 9
        assertThat(ofMax.low()).isBetween(4.0, 6.0);          // P(max <= 4) = (5/8)^8 = 2%, P(max <= 5) = 10%
        assertThat(Bootstrap.interval(0, d -> 1, 0.95, 10, 1).low()).isNaN();
    }

    @Test
    void constantDifferencesGiveAPointInterval() {
        Interval i = Bootstrap.pairedDifferenceInterval(new double[] {1, 2, 3}, new double[] {1.5, 2.5, 3.5}, 0.95,
                100, 1);
        assertThat(i.low()).isEqualTo(0.5);
        assertThat(i.high()).isEqualTo(0.5);
    }

    @Test
    void pairedIntervalCoversTheTrueDifferenceAboutNinetyFivePercentOfTheTime() {
        // 400 simulated comparisons of two classifiers on 200 items; A errs with probability 0.20, B with 0.15,
        // correlated through a shared "hard item" draw: the true difference of error rates is -0.05.
        SplittableRandom data = new SplittableRandom(2024);
        int datasets = 400;
        int n = 200;
        int covered = 0;
        for (int s = 0; s < datasets; s++) {
            double[] a = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                boolean hard = data.nextDouble() < 0.1;
                a[i] = hard || data.nextDouble() < 1.0 / 9 ? 1 : 0;     // 0.1 + 0.9/9 = 0.20
                b[i] = hard || data.nextDouble() < 0.05 / 0.9 ? 1 : 0;  // 0.1 + 0.05 = 0.15
            }
            covered += Bootstrap.pairedDifferenceInterval(a, b, 0.95, 1000, s).contains(-0.05) ? 1 : 0;
        }
        assertThat((double) covered / datasets).isBetween(0.93, 0.97);
    }
}
