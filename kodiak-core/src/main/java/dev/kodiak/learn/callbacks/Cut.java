package dev.kodiak.learn.callbacks;

import dev.kodiak.KodiakException;

/**
 * One batch's CutMix draw: the area ratio {@code lambda} (before clipping), the box centre and each item's partner.
 *
 * @param lambda      drawn from Beta(α, α): the box covers about {@code 1 − lambda} of the image
 * @param cx          the box centre's column, in {@code [0, width)}
 * @param cy          the box centre's row, in {@code [0, height)}
 * @param permutation each item's partner (a reordering of the batch)
 */
record Cut(double lambda, int cx, int cy, long[] permutation) {
    Cut {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new KodiakException("CutMix's lambda must be in [0, 1], got " + lambda);
        }
    }

    /** fastai's draw: one λ ~ Beta(α, α) and one uniformly random centre for the whole batch; a random partner. */
    static Cut draw(dev.kodiak.data.Rng rng, double alpha, int n, int width, int height) {
        double lambda = Draws.beta(rng, alpha);
        return new Cut(lambda, rng.nextInt(width), rng.nextInt(height), Draws.permutation(rng, n));
    }
}
