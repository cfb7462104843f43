package dev.kodiak.compare;

import dev.kodiak.KodiakException;

/** The standard normal distribution: what the sample-size formulas need (its CDF and quantiles). */
public final class Normal {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private Normal() {
    }

    /** The density φ(x). */
    public static double pdf(double x) {
        return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
    }

    /**
     * Φ(x), by Marsaglia's series (G. Marsaglia, "Evaluating the Normal Distribution", J. Stat. Software 11(4),
     * 2004): Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …). Every term has the sign of x, so nothing cancels; absolute
     * error about 1e-15. Beyond |x| = 3 the tail comes from a continued fraction instead, with full relative
     * precision.
     */
    public static double cdf(double x) {
        if (x < -3) {
            return lowerTail(-x);
        }
        if (x > 3) {
            return 1 - lowerTail(x);
        }
        double term = x;
        double sum = x;
        double x2 = x * x;
        for (int i = 3; sum + term != sum; i += 2) {
            term *= x2 / i;
            sum += term;
        }
        return 0.5 + sum * pdf(x);
    }

    /**
     * 1 − Φ(x) for x ≥ 3 by Laplace's continued fraction φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))), evaluated from a
     * fixed depth backwards: in the far tail the series above would lose everything to the cancellation in ½ + …,
     * while this keeps full relative precision (150 levels converge to double precision from x = 3 on).
     */
    private static double lowerTail(double x) {
        double fraction = x;
        for (int j = 150; j >= 1; j--) {
            fraction = x + j / fraction;
        }
        return pdf(x) / fraction;
    }

    /**
     * The quantile Φ⁻¹(p) for p in [1e-12, 1 − 1e-12], by Newton's method from 0: Φ is convex left of 0 and
     * concave right of it, so the iterates approach the root monotonically from the side of 0.
     */
    public static double quantile(double p) {
        if (!(p >= 1e-12 && p <= 1 - 1e-12)) {
            throw new KodiakException("normal quantile needs a probability in [1e-12, 1 - 1e-12], got " + p);
        }
        double x = 0;
        for (int i = 0; i < 200; i++) {
            double step = (cdf(x) - p) / pdf(x);
            x -= step;
            if (Math.abs(step) < 1e-13 * Math.max(1, Math.abs(x))) {
                break;
            }
        }
        return x;
    }
}
