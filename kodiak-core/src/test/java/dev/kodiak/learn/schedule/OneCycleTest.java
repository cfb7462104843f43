package dev.kodiak.learn.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import org.junit.jupiter.api.Test;

class OneCycleTest {
    private static final double EXACT = 1e-15;

    @Test
    void learningRateWarmsUpFromATwentyFifthToThePeakThenAnnealsToAHundredThousandth() {
        OneCycleSchedule s = OneCycle.of(1e-2, 100);
        assertThat(s.lr(0)).isCloseTo(1e-2 / 25, within(EXACT));
        assertThat(s.lr(25)).isCloseTo(1e-2, within(EXACT));            // end of warm-up (pct_start 0.25)
        assertThat(s.lr(100)).isCloseTo(1e-7, within(1e-18));           // position 1
        // the last batch is at position 0.99: local position (0.99 - 0.25) / 0.75 in the annealing phase
        double local = (0.99 - 0.25) / 0.75;
        double expected = 1e-2 + (1 + Math.cos(Math.PI * (1 - local))) * (1e-7 - 1e-2) / 2;
        assertThat(s.lr(99)).isCloseTo(expected, within(EXACT));
        assertThat(s.lr(99)).isLessThan(1e-2 / 1000);
        // warm-up midpoint: half-way between lrMax/25 and lrMax
        assertThat(OneCycle.of(1e-2, 200).lr(25)).isCloseTo((4e-4 + 1e-2) / 2, within(EXACT));
    }

    @Test
    void momentumGoesDownWhileTheLearningRateGoesUp() {
        OneCycleSchedule s = OneCycle.of(1e-3, 200);
        assertThat(s.mom(0)).isCloseTo(0.95, within(EXACT));
        assertThat(s.mom(25)).isCloseTo(0.90, within(1e-12));
        assertThat(s.mom(50)).isCloseTo(0.85, within(EXACT));
        assertThat(s.mom(125)).isCloseTo(0.90, within(1e-12));
        assertThat(s.mom(200)).isCloseTo(0.95, within(EXACT));
    }

    @Test
    void overridesChangeTheShape() {
        OneCycleSchedule s = OneCycle.of(1e-3, 100).withPctStart(0.3).withDiv(5).withDivFinal(10)
                .withMoms(0.9, 0.8, 0.7);
        assertThat(s.lr(0)).isCloseTo(2e-4, within(EXACT));
        assertThat(s.lr(30)).isCloseTo(1e-3, within(EXACT));
        assertThat(s.lr(100)).isCloseTo(1e-4, within(EXACT));
        assertThat(s.mom(30)).isCloseTo(0.8, within(EXACT));
        assertThat(s.mom(100)).isCloseTo(0.7, within(EXACT));
        assertThat(s.shape()).isEqualTo(new OneCycle(0.3, 5, 10, 0.9, 0.8, 0.7));
    }

    @Test
    void eachGroupFollowsTheSameShapeFromItsOwnPeak() {
        OneCycleSchedule s = OneCycle.defaults().over(LrSlice.of(1e-5, 1e-3), 3, 100);
        double[] start = s.lrs(0);
        assertThat(start[0]).isCloseTo(1e-5 / 25, within(1e-18));
        assertThat(start[1]).isCloseTo(1e-4 / 25, within(1e-18));
        assertThat(start[2]).isCloseTo(1e-3 / 25, within(1e-18));
        double[] peak = s.lrs(25);
        assertThat(peak[0]).isCloseTo(1e-5, within(1e-18));
        assertThat(peak[2]).isCloseTo(1e-3, within(1e-18));
        assertThat(s.lr(25)).isEqualTo(peak[2]);
        // position-based access, as a scheduler callback uses it
        assertThat(OneCycle.defaults().lrsAt(new double[] {1e-4, 1e-3}, 0.25)[0]).isCloseTo(1e-4, within(1e-18));
        assertThat(OneCycle.defaults().momAt(0.25)).isCloseTo(0.85, within(EXACT));
    }

    @Test
    void fineTuneFrozenPhaseWarmsUpAlmostToTheEnd() {
        OneCycleSchedule s = OneCycle.defaults().withPctStart(0.99).over(LrSlice.of(2e-3), 3, 100);
        assertThat(s.lrs(99)[2]).isCloseTo(2e-3, within(1e-18));
        assertThat(s.lrs(99)[0]).isCloseTo(2e-4, within(1e-18));
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> OneCycle.defaults().withPctStart(1.5)).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> OneCycle.defaults().withMoms(0.95, 1.0, 0.95)).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> OneCycle.of(1e-3, 0)).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> OneCycle.of(1e-3, 10).lr(11)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("outside");
    }
}
