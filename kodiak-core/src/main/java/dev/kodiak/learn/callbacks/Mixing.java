package dev.kodiak.learn.callbacks;

import dev.kodiak.KodiakException;

/**
 * One batch's MixUp draw: item {@code i} becomes {@code lambdas[i] · x[i] + (1 - lambdas[i]) · x[permutation[i]]}.
 *
 * @param lambdas     the weight of each item's own image and target, in [0, 1]
 * @param permutation each item's partner (a reordering of the batch)
 */
record Mixing(float[] lambdas, long[] permutation) {
    Mixing {
        if (lambdas.length != permutation.length) {
            throw new KodiakException("a MixUp draw needs one lambda per item: " + lambdas.length + " lambdas for "
                    + permutation.length + " items");
        }
        for (float l : lambdas) {
            if (!(l >= 0 && l <= 1)) {
                throw new KodiakException("MixUp's lambda must be in [0, 1], got " + l);
            }
        }
        for (long p : permutation) {
            if (p < 0 || p >= permutation.length) {
                throw new KodiakException("a MixUp partner must be an item of the batch (0 to " + (permutation.length - 1)
                        + "), got " + p);
            }
        }
    }

    /** fastai's draw: lambda ~ Beta(alpha, alpha) per item, kept at max(lambda, 1 - lambda); a random partner. */
    static Mixing draw(dev.kodiak.data.Rng rng, double alpha, int n) {
        float[] lambdas = new float[n];
        for (int i = 0; i < n; i++) {
            double l = Draws.beta(rng, alpha);
            lambdas[i] = (float) Math.max(l, 1 - l); // each item stays mostly itself: its own target dominates
        }
        return new Mixing(lambdas, Draws.permutation(rng, n));
    }
}
