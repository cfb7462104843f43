package dev.kodiak.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import java.math.BigInteger;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class BinomialTest {
    @Test
    void twoSidedPValuesMatchHandCountedOutcomes() {
        // B(5, ½), k = 0: outcomes 0 and 5 are the least likely, 2/32
        assertThat(Binomial.twoSidedPValue(0, 5, 0.5)).isEqualTo(2.0 / 32);
        // B(10, ½), k = 1: outcomes 0, 1, 9, 10 = (1 + 10 + 10 + 1) / 1024
        assertThat(Binomial.twoSidedPValue(1, 10, 0.5)).isCloseTo(22.0 / 1024, within(1e-15));
        assertThat(Binomial.twoSidedPValue(9, 10, 0.5)).isCloseTo(22.0 / 1024, within(1e-15));
        // k = 2: (1 + 10 + 45) · 2 / 1024
        assertThat(Binomial.twoSidedPValue(2, 10, 0.5)).isCloseTo(112.0 / 1024, within(1e-15));
        // B(7, ½), k = 2: 0, 1, 2, 5, 6, 7 = (1 + 7 + 21) · 2 / 128
        assertThat(Binomial.twoSidedPValue(2, 7, 0.5)).isCloseTo(58.0 / 128, within(1e-15));
        // the most likely outcome (and its tie at 3 of 7) leaves nothing out
        assertThat(Binomial.twoSidedPValue(5, 10, 0.5)).isEqualTo(1.0);
        assertThat(Binomial.twoSidedPValue(3, 7, 0.5)).isEqualTo(1.0);
        assertThat(Binomial.twoSidedPValue(0, 0, 0.5)).isEqualTo(1.0);
    }

    @Test
    void anAsymmetricNullCountsOutcomesNoMoreLikelyThanTheObservedOne() {
        // B(10, 0.2): P(3) = 0.201326592; P(1) = 0.268435456 and P(2) = 0.301989888 are more likely, all else not
        assertThat(Binomial.twoSidedPValue(3, 10, 0.2)).isCloseTo(1 - 0.268435456 - 0.301989888, within(1e-14));
    }

    @Test
    void logPmfKeepsFullPrecisionAgainstExactBinomialCoefficients() {
        int n = 60; // C(60, k) fits a long, and C / 2^60 is an exact double division
        for (int k = 0; k <= n; k++) {
            double exact = BigInteger.valueOf(2).pow(n).equals(BigInteger.ZERO) ? 0
                    : new java.math.BigDecimal(binomial(n, k)).doubleValue() / Math.pow(2, n);
            assertThat(Math.exp(Binomial.logPmf(k, n, 0.5))).as("k=%d", k).isCloseTo(exact, Offset.offset(exact * 1e-13));
        }
    }

    @Test
    void largeSamplesStayFiniteAndSymmetric() {
        // one million trials: direct factorials would overflow; the tails are still summed in log space
        double p = Binomial.twoSidedPValue(499_000, 1_000_000, 0.5);
        assertThat(p).isEqualTo(Binomial.twoSidedPValue(501_000, 1_000_000, 0.5));
        assertThat(p).isBetween(0.04, 0.05); // z = 2.0 → about 0.0455
        assertThat(Binomial.twoSidedPValue(0, 2000, 0.5)).isCloseTo(2 * Math.pow(2, -2000.0 + 1000) * Math.pow(2, -1000),
                within(1e-300)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void rejectsImpossibleArguments() {
        assertThatThrownBy(() -> Binomial.twoSidedPValue(11, 10, 0.5)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("0 <= k <= n");
        assertThatThrownBy(() -> Binomial.logPmf(1, 10, 1.5)).isInstanceOf(KodiakException.class);
    }

    private static BigInteger binomial(int n, int k) {
        BigInteger c = BigInteger.ONE;
        for (int i = 0; i < k; i++) {
            c = c.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        }
        return c;
    }
}
