package dev.kodiak.learn.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    private static final double EXACT = 1e-12;

    @Test
    void cosineStartsAndEndsFlatAndPassesTheMidpointHalfWay() {
        Schedule s = Schedules.cosine(1, 3);
        assertThat(s.at(0)).isCloseTo(1, within(EXACT));
        assertThat(s.at(0.5)).isCloseTo(2, within(EXACT));
        assertThat(s.at(1)).isCloseTo(3, within(EXACT));
        // 1 + (1 + cos(0.75 pi)) * 2 / 2 = 2 - sqrt(2)/2
        assertThat(s.at(0.25)).isCloseTo(2 - Math.sqrt(2) / 2, within(EXACT));
        // decreasing works the same way
        assertThat(Schedules.cosine(0.95, 0.85).at(0.5)).isCloseTo(0.90, within(EXACT));
    }

    @Test
    void linearAndConstant() {
        assertThat(Schedules.linear(2, 4).at(0.25)).isEqualTo(2.5);
        assertThat(Schedules.linear(2, 4).at(1)).isEqualTo(4);
        assertThat(Schedules.constant(7).at(0.3)).isEqualTo(7);
    }

    @Test
    void exponentialIsAStraightLineOnALogScale() {
        Schedule s = Schedules.exponential(1e-7, 10);
        assertThat(s.at(0)).isEqualTo(1e-7);
        assertThat(s.at(0.5)).isCloseTo(1e-3, within(1e-15));
        assertThat(s.at(1)).isCloseTo(10, within(1e-12));
        assertThatThrownBy(() -> Schedules.exponential(0, 1)).isInstanceOf(KodiakException.class);
    }

    @Test
    void combinedRunsEachPhaseOverItsShareOfTraining() {
        Schedule s = Schedules.combined(new double[] {0.25, 0.75}, Schedules.cosine(1, 2), Schedules.linear(2, 0));
        assertThat(s.at(0)).isCloseTo(1, within(EXACT));
        assertThat(s.at(0.125)).isCloseTo(1.5, within(EXACT));
        assertThat(s.at(0.25)).isCloseTo(2, within(EXACT));
        assertThat(s.at(0.625)).isCloseTo(1, within(EXACT));
        assertThat(s.at(1)).isCloseTo(0, within(EXACT));
        assertThat(s.at(1.5)).isCloseTo(0, within(EXACT));   // clamped
    }

    @Test
    void combinedChecksItsFractions() {
        assertThatThrownBy(() -> Schedules.combined(new double[] {0.5, 0.4}, Schedules.constant(1),
                Schedules.constant(2))).isInstanceOf(KodiakException.class).hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> Schedules.combined(new double[] {1}, Schedules.constant(1), Schedules.constant(2)))
                .isInstanceOf(KodiakException.class).hasMessageContaining("1 fractions for 2 schedules");
    }

    @Test
    void zeroLengthPhasesAreSkipped() {
        Schedule warmupOnly = Schedules.combined(new double[] {1, 0}, Schedules.linear(0, 1), Schedules.constant(9));
        assertThat(warmupOnly.at(0.5)).isEqualTo(0.5);
        Schedule noWarmup = Schedules.combined(new double[] {0, 1}, Schedules.constant(9), Schedules.linear(1, 0));
        assertThat(noWarmup.at(0)).isEqualTo(1);
    }
}
