package dev.kodiak.learn.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import org.junit.jupiter.api.Test;

class LrSliceTest {
    @Test
    void rangeGivesGeometricSteps() {
        double[] v = LrSlice.of(1e-5, 1e-3).values(3);
        assertThat(v).hasSize(3);
        assertThat(v[0]).isEqualTo(1e-5);
        assertThat(v[1]).isCloseTo(1e-4, within(1e-19));
        assertThat(v[2]).isEqualTo(1e-3);
        double[] four = LrSlice.of(1e-6, 1e-3).values(4);
        assertThat(four[1]).isCloseTo(1e-5, within(1e-19));
        assertThat(four[2]).isCloseTo(1e-4, within(1e-18));
    }

    @Test
    void headFormGivesATenthToTheBody() {
        assertThat(LrSlice.of(2e-3).values(3)).containsExactly(2e-4, 2e-4, 2e-3);
        assertThat(LrSlice.of(2e-3).values(1)).containsExactly(2e-3);
    }

    @Test
    void singleGivesTheSameRateEverywhere() {
        assertThat(LrSlice.single(1e-3).values(3)).containsExactly(1e-3, 1e-3, 1e-3);
        assertThat(LrSlice.of(1e-5, 1e-3).values(1)).containsExactly(1e-3);
    }

    @Test
    void ratesMustBePositive() {
        assertThatThrownBy(() -> LrSlice.of(0)).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> LrSlice.of(-1e-5, 1e-3)).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> LrSlice.single(Double.NaN)).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> LrSlice.single(1e-3).values(0)).isInstanceOf(KodiakException.class);
        assertThat(LrSlice.of(1e-5, 1e-3)).hasToString("slice(1.0E-5, 0.001)");
    }
}
