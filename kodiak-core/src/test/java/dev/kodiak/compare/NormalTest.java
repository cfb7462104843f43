package dev.kodiak.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class NormalTest {
    @Test
    void quantilesAndCdfMatchTabulatedValues() {
        // reference values: scipy.stats.norm.ppf / norm.cdf
        assertThat(Normal.quantile(0.975)).isCloseTo(1.959963984540054, within(1e-12));
        assertThat(Normal.quantile(0.8)).isCloseTo(0.8416212335729143, within(1e-12));
        assertThat(Normal.quantile(1e-10)).isCloseTo(-6.361340902404056, within(1e-9));
        assertThat(Normal.quantile(0.5)).isEqualTo(0.0);
        assertThat(Normal.cdf(1.96)).isCloseTo(0.9750021048517795, within(1e-15));
        assertThat(Normal.cdf(-3)).isCloseTo(0.0013498980316300933, within(1e-15));
        assertThat(Normal.cdf(3)).isCloseTo(0.9986501019683699, within(1e-15));
        // far tails keep their relative precision
        assertThat(Normal.cdf(-5)).isCloseTo(2.866515718791933e-07, within(1e-20));
        assertThat(Normal.cdf(-8)).isCloseTo(6.22096057427174e-16, within(1e-28));
        assertThat(Normal.cdf(-20)).isCloseTo(2.7536241186061556e-89, within(1e-101));
    }
}
