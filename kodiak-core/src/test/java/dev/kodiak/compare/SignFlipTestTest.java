package dev.kodiak.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SignFlipTestTest {
    @Test
    void exactPValuesMatchABruteForceEnumerationOfEverySignVector() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + random.nextInt(12);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = random.nextInt(7) - 3; // small integers: zeros and exact ties on purpose
            }
            assertThat(SignFlipTest.pValue(d, 1, 0)).as("differences %s", java.util.Arrays.toString(d))
                    .isEqualTo(bruteForce(d));
        }
    }

    @Test
    void handCountedCases() {
        // {1, 2, 3}: sums ±1 ±2 ±3 = 6, 4, 2, 0, 0, -2, -4, -6; |sum| >= 6 twice in 8
        assertThat(SignFlipTest.pValue(new double[] {1, 2, 3}, 1, 0)).isEqualTo(0.25);
        // zeros carry nothing: the same answer
        assertThat(SignFlipTest.pValue(new double[] {0, 1, 0, 2, 3}, 1, 0)).isEqualTo(0.25);
        assertThat(SignFlipTest.pValue(new double[] {0, 0}, 1, 0)).isEqualTo(1.0);
        // floating sums that tie in exact arithmetic count as ties: 0.1 + 0.2 vs 0.3
        assertThat(SignFlipTest.pValue(new double[] {0.1, 0.2, -0.3}, 1, 0)).isEqualTo(1.0);
    }

    @Test
    void monteCarloAboveTheExactLimitAgreesWithTheExactValue() {
        SplittableRandom random = new SplittableRandom(11);
        double[] d = new double[SignFlipTest.EXACT_LIMIT + 1];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextDouble() - 0.35;
        }
        double exact = bruteForce(d);
        double mc = SignFlipTest.pValue(d, 20_000, 5);
        assertThat(mc).isCloseTo(exact, within(4 * Math.sqrt(exact * (1 - exact) / 20_000) + 1e-4));
        assertThat(SignFlipTest.pValue(d, 20_000, 5)).isEqualTo(mc); // fixed seed
    }

    @Test
    void monteCarloNeverSaysZero() {
        double[] d = new double[40];
        java.util.Arrays.fill(d, 1.0); // every flip is less extreme than the observed all-positive sum
        assertThat(SignFlipTest.pValue(d, 999, 1)).isEqualTo(1.0 / 1000);
    }

    // Every one of the 2^n sign vectors over all items, zeros included, by recursion.
    private static double bruteForce(double[] d) {
        double observed = 0;
        for (double x : d) {
            observed += x;
        }
        long[] counts = new long[2];
        walk(d, 0, 0, Math.abs(observed), counts);
        return (double) counts[0] / counts[1];
    }

    private static void walk(double[] d, int i, double sum, double observed, long[] counts) {
        if (i == d.length) {
            counts[1]++;
            counts[0] += Math.abs(sum) >= observed - 1e-9 ? 1 : 0;
            return;
        }
        walk(d, i + 1, sum + d[i], observed, counts);
        walk(d, i + 1, sum - d[i], observed, counts);
    }
}
