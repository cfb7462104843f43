package dev.kodiak.learn.callbacks;

import dev.kodiak.data.Rng;
import dev.kodiak.learn.Learner;

/**
 * The random draws of MixUp and CutMix: a stream per (learner seed, purpose, phase, epoch, batch), so a run repeats
 * its draws and a resumed run draws what the uninterrupted one would have, whatever else used random numbers.
 */
final class Draws {
    private Draws() {
    }

    /** The stream of the learner's current training batch for {@code purpose} (e.g. {@code mixup}). */
    static Rng forBatch(Learner learn, String purpose) {
        // the phase keeps fine_tune's unfrozen epoch 0 from repeating the frozen epoch 0's draws
        return Rng.of(learn.seed(), purpose + "/" + learn.phase(), learn.epoch(), learn.iter());
    }

    /** A uniformly random ordering of {@code 0 .. n - 1} (Fisher-Yates): each item's mixing partner. */
    static long[] permutation(Rng rng, int n) {
        long[] p = new long[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            long t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** A draw from Beta(alpha, alpha), as the ratio of two Gamma(alpha) draws. */
    static double beta(Rng rng, double alpha) {
        double a = gamma(rng, alpha);
        double b = gamma(rng, alpha);
        if (a + b == 0) {
            return rng.chance(0.5) ? 0 : 1; // both underflowed (tiny alpha): Beta's mass sits at the ends
        }
        return a / (a + b);
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang's method; shapes below 1 through Gamma(shape + 1) · U^(1/shape). */
    static double gamma(Rng rng, double shape) {
        if (shape < 1) {
            return gamma(rng, shape + 1) * Math.pow(1 - rng.uniform(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = normal(rng);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1 - rng.uniform(); // in (0, 1]: its logarithm is finite
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** A standard normal draw (Box-Muller). */
    static double normal(Rng rng) {
        double u1 = 1 - rng.uniform();
        double u2 = rng.uniform();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
