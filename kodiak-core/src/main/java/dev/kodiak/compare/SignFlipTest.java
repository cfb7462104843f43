package dev.kodiak.compare;

import dev.kodiak.KodiakException;
import java.util.SplittableRandom;

/**
 * The paired permutation test: under H0 (the two models are exchangeable on every item) each per-item difference
 * {@code b[i] − a[i]} is as likely to have either sign, so the p-value is the share of the 2ⁿ sign flips whose
 * |sum| is at least the observed |sum| (two-sided). Items with a zero difference flip to themselves and are left
 * out. Up to {@value #EXACT_LIMIT} non-zero differences every flip is enumerated (an exact p-value); above that,
 * {@code resamples} random flips drawn with a fixed seed give the Monte-Carlo p-value (1 + hits) / (1 + resamples),
 * which counts the observed assignment itself and so is never 0 (B. Phipson and G. K. Smyth, "Permutation P-values
 * should never be zero", Stat. Appl. Genet. Mol. Biol. 9(1), 2010).
 */
public final class SignFlipTest {
    /** Largest number of non-zero differences enumerated exactly (2²⁰ ≈ one million flips). */
    public static final int EXACT_LIMIT = 20;

    private SignFlipTest() {
    }

    /** The two-sided p-value for the differences {@code b[i] − a[i]}. */
    public static double pValue(double[] a, double[] b, int resamples, long seed) {
        return pValue(PairedDifferences.of(a, b), resamples, seed);
    }

    /** The two-sided p-value for per-item differences. */
    public static double pValue(double[] differences, int resamples, long seed) {
        if (resamples < 1) {
            throw new KodiakException("a permutation test needs at least 1 resample, got " + resamples);
        }
        int m = 0;
        double scale = 0;
        for (double d : differences) {
            if (!Double.isFinite(d)) {
                throw new KodiakException("a permutation test needs finite differences, got " + d);
            }
            m += d != 0 ? 1 : 0;
            scale += Math.abs(d);
        }
        if (m == 0) {
            return 1;
        }
        double[] d = new double[m];
        int j = 0;
        double observed = 0;
        for (double x : differences) {
            if (x != 0) {
                d[j++] = x;
                observed += x;
            }
        }
        // sums equal in exact arithmetic may differ in the last bits: they count as "at least as extreme"
        double threshold = Math.abs(observed) - 1e-9 * scale;
        if (m <= EXACT_LIMIT) {
            long hits = 0;
            for (long mask = 0; mask < (1L << m); mask++) {
                double sum = 0;
                for (int i = 0; i < m; i++) {
                    sum += (mask & (1L << i)) != 0 ? -d[i] : d[i];
                }
                hits += Math.abs(sum) >= threshold ? 1 : 0;
            }
            return (double) hits / (1L << m);
        }
        SplittableRandom random = new SplittableRandom(seed);
        long hits = 0;
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (double x : d) {
                sum += random.nextBoolean() ? x : -x;
            }
            hits += Math.abs(sum) >= threshold ? 1 : 0;
        }
        return (1.0 + hits) / (1.0 + resamples);
    }
}
