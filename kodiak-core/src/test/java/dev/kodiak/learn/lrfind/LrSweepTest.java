package dev.kodiak.learn.lrfind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LrSweepTest {
    @Test
    void learningRateGrowsExponentiallyFromStartTowardsEnd() {
        LrSweep sweep = LrSweep.defaults();
        assertThat(sweep.lr(0)).isEqualTo(1e-7);
        assertThat(sweep.lr(50)).isCloseTo(1e-3, within(1e-15));
        assertThat(sweep.lr(100)).isCloseTo(10, within(1e-12));
        assertThat(new LrSweep(1e-7, 10, 3, true).numIt()).isEqualTo(6);   // fastai's minimum
    }

    @Test
    void stopsWhenTheSmoothedLossExceedsFourTimesTheBest() {
        LrSweep sweep = LrSweep.defaults();
        assertThat(sweep.shouldStop(1, 1.0)).isFalse();
        assertThat(sweep.shouldStop(2, 0.5)).isFalse();
        assertThat(sweep.shouldStop(3, 2.0)).isFalse();     // exactly 4× is not yet divergence
        assertThat(sweep.bestLoss()).isEqualTo(0.5);
        assertThat(sweep.shouldStop(4, 2.01)).isTrue();
    }

    @Test
    void withoutStopDivItRunsAllIterationsButStillStopsOnNaN() {
        LrSweep sweep = new LrSweep(1e-5, 1, 10, false);
        assertThat(sweep.shouldStop(1, 1.0)).isFalse();
        assertThat(sweep.shouldStop(2, 100.0)).isFalse();
        assertThat(sweep.shouldStop(10, 1.0)).isTrue();
        assertThat(new LrSweep(1e-5, 1, 10, false).shouldStop(1, Double.NaN)).isTrue();
    }

    @Test
    void smoothedLossIsADebiasedMovingAverage() {
        LossSmoother s = new LossSmoother();
        assertThat(s.value()).isNaN();
        assertThat(s.add(1.0)).isCloseTo(1.0, within(1e-12));          // debiasing: the first value is the loss
        double avg = 0.98 * 0.02 * 1 + 0.02 * 2;
        assertThat(s.add(2.0)).isCloseTo(avg / (1 - 0.98 * 0.98), within(1e-12));
        avg = 0.98 * avg + 0.02 * 3;
        assertThat(s.add(3.0)).isCloseTo(avg / (1 - Math.pow(0.98, 3)), within(1e-12));
        assertThat(s.count()).isEqualTo(3);
        s.reset();
        assertThat(s.add(5.0)).isCloseTo(5.0, within(1e-12));
        // a constant loss stays exactly itself
        LossSmoother c = new LossSmoother();
        for (int i = 0; i < 200; i++) {
            c.add(0.7);
        }
        assertThat(c.value()).isCloseTo(0.7, within(1e-12));
    }
}
