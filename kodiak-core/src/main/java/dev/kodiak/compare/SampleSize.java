package dev.kodiak.compare;

import dev.kodiak.KodiakException;
import java.util.OptionalLong;

/**
 * How many items a paired comparison needs to detect a given difference with a given power in a two-sided test at
 * level alpha: the "how much more data would settle it" number. Both formulas are normal approximations, so read
 * the answer as an order of magnitude.
 */
public final class SampleSize {
    private SampleSize() {
    }

    /**
     * McNemar's test (paired proportions), by Connor's formula (R. J. Connor, "Sample size for testing differences
     * in proportions for the paired-sample design", Biometrics 43(1):207–211, 1987):
     * n = (z₁₋α/₂ √ψ + z₁₋β √(ψ − δ²))² / δ², with ψ = p₁₀ + p₀₁ the proportion of discordant items and
     * δ = p₀₁ − p₁₀ the difference of the two discordant proportions. Empty when δ = 0 (no difference to detect).
     *
     * @param aOnly proportion of items only A gets right (p₁₀)
     * @param bOnly proportion of items only B gets right (p₀₁)
     */
    public static OptionalLong mcNemar(double aOnly, double bOnly, double power, double alpha) {
        check(power, alpha);
        if (!(aOnly >= 0 && bOnly >= 0 && aOnly + bOnly <= 1)) {
            throw new KodiakException("discordant proportions must be >= 0 with a sum <= 1, got " + aOnly + " and "
                    + bOnly);
        }
        double delta = bOnly - aOnly;
        if (delta == 0) {
            return OptionalLong.empty();
        }
        double psi = aOnly + bOnly;
        double root = Normal.quantile(1 - alpha / 2) * Math.sqrt(psi)
                + Normal.quantile(power) * Math.sqrt(Math.max(0, psi - delta * delta));
        return OptionalLong.of(ceil(root * root / (delta * delta)));
    }

    /**
     * A paired comparison of continuous per-item values (the paired t-test's normal approximation, e.g. Chow, Shao
     * and Wang, "Sample Size Calculations in Clinical Research", 2nd ed., 2008, §3.1):
     * n = ((z₁₋α/₂ + z₁₋β) σ / δ)², with δ the mean and σ the standard deviation of the per-item differences.
     * Empty when δ = 0.
     */
    public static OptionalLong pairedMeans(double meanDifference, double sdDifference, double power, double alpha) {
        check(power, alpha);
        if (!(sdDifference >= 0) || !Double.isFinite(meanDifference)) {
            throw new KodiakException("need a finite mean and a standard deviation >= 0, got " + meanDifference
                    + " and " + sdDifference);
        }
        if (meanDifference == 0) {
            return OptionalLong.empty();
        }
        double z = (Normal.quantile(1 - alpha / 2) + Normal.quantile(power)) * sdDifference / meanDifference;
        return OptionalLong.of(Math.max(1, ceil(z * z)));
    }

    private static long ceil(double x) {
        // a value a hair above an integer because of rounding still means that integer
        return (long) Math.ceil(x - 1e-9);
    }

    private static void check(double power, double alpha) {
        if (!(power > 0 && power < 1) || !(alpha > 0 && alpha < 1)) {
            throw new KodiakException("power and alpha must be between 0 and 1 (exclusive), got " + power + " and "
                    + alpha);
        }
    }
}
