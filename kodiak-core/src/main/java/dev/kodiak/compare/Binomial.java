package dev.kodiak.compare;

import dev.kodiak.KodiakException;

/**
 * The binomial distribution B(n, p) in log space, and the exact two-sided binomial test: what McNemar's exact test
 * runs on the discordant pairs. Stable for any n: no factorials, no sums of n logs.
 */
public final class Binomial {
    // scipy.stats.binomtest's two-sided p-value counts outcomes whose probability is at most the observed one's
    // times (1 + 1e-7), so that outcomes equal in exact arithmetic count as ties despite rounding
    private static final double LOG_RELATIVE_TOLERANCE = Math.log1p(1e-7);
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private Binomial() {
    }

    /**
     * ln P(X = k) for X ~ B(n, p), by Loader's saddle-point form (C. Loader, "Fast and Accurate Computation of
     * Binomial Probabilities", 2000): P = √(n / (2π k (n−k))) · exp(δ(n) − δ(k) − δ(n−k) − D(k; np) − D(n−k; nq)),
     * with δ the Stirling error and D(x; m) = x ln(x/m) + m − x the deviance term, each computed without
     * cancellation, so the result keeps full relative precision for n in the millions.
     */
    public static double logPmf(int k, int n, double p) {
        check(n, p);
        if (k < 0 || k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 0) {
            return k == 0 ? 0 : Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return k == n ? 0 : Double.NEGATIVE_INFINITY;
        }
        if (k == 0) {
            return n * Math.log1p(-p);
        }
        if (k == n) {
            return n * Math.log(p);
        }
        double q = 1 - p;
        double core = stirlingError(n) - stirlingError(k) - stirlingError(n - k) - deviance(k, n * p)
                - deviance(n - k, n * q);
        return core - 0.5 * (LOG_2PI + Math.log(k) + Math.log1p(-(double) k / n));
    }

    /**
     * The exact two-sided p-value of observing {@code k} successes in {@code n} trials under H0: success
     * probability {@code p}: the total probability of every outcome at most as likely as {@code k} (the
     * definition of scipy.stats.binomtest(k, n, p, alternative='two-sided'), with its relative tolerance of 1e-7
     * for ties). Summed in log space, so tiny p-values do not underflow until below ~1e-308.
     */
    public static double twoSidedPValue(int k, int n, double p) {
        check(n, p);
        if (k < 0 || k > n) {
            throw new KodiakException("the binomial test needs 0 <= k <= n, got k=" + k + ", n=" + n);
        }
        if (n == 0) {
            return 1;
        }
        double limit = logPmf(k, n, p) + LOG_RELATIVE_TOLERANCE;
        double[] logs = new double[n + 1];
        int count = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= n; i++) {
            double l = logPmf(i, n, p);
            if (l <= limit) {
                logs[count++] = l;
                max = Math.max(max, l);
            }
        }
        if (count == n + 1) {
            return 1; // every outcome counts: exactly 1, not a sum of n + 1 rounded terms
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += Math.exp(logs[i] - max);
        }
        return Math.min(1, Math.exp(max + Math.log(sum)));
    }

    /**
     * δ(n) = ln n! − ln(√(2πn) (n/e)ⁿ). Small n directly (n ≤ 15: a handful of logs, error ~1e-15); larger n by
     * the Stirling series 1/(12n) − 1/(360n³) + 1/(1260n⁵) − 1/(1680n⁷) + 1/(1188n⁹), whose next term is below
     * 1e-16 from n = 16 on.
     */
    static double stirlingError(int n) {
        if (n <= 15) {
            double logFactorial = 0;
            for (int i = 2; i <= n; i++) {
                logFactorial += Math.log(i);
            }
            return logFactorial - 0.5 * (LOG_2PI + Math.log(n)) - n * Math.log(n) + n;
        }
        double nn = (double) n * n;
        return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 - 1.0 / 1188 / nn) / nn) / nn) / nn) / n;
    }

    /**
     * D(x; m) = x ln(x/m) + m − x ≥ 0. Near x = m its two parts nearly cancel, so there it uses ln(x/m) =
     * 2 atanh(v) with v = (x−m)/(x+m), which gives D = (x−m)v + 2x Σ_{j≥1} v^(2j+1)/(2j+1): all terms of one sign.
     */
    static double deviance(double x, double m) {
        if (Math.abs(x - m) < 0.1 * (x + m)) {
            double v = (x - m) / (x + m);
            double sum = (x - m) * v;
            double term = 2 * x * v;
            double v2 = v * v;
            for (int j = 1; ; j++) {
                term *= v2;
                double next = sum + term / (2 * j + 1);
                if (next == sum) {
                    return sum;
                }
                sum = next;
            }
        }
        return x * Math.log(x / m) + m - x;
    }

    private static void check(int n, double p) {
        if (n < 0 || !(p >= 0 && p <= 1)) {
            throw new KodiakException("a binomial distribution needs n >= 0 and 0 <= p <= 1, got n=" + n + ", p=" + p);
        }
    }
}
