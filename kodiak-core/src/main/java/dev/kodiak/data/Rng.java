package dev.kodiak.data;

import java.util.SplittableRandom;

/**
 * The random numbers for one item or one batch, derived only from (seed, epoch, index).
 * Every random choice of the data pipeline (shuffling, crops, augmentation parameters) comes from one of
 * these, never from libtorch's global generator, so batches are identical whatever the number of workers.
 */
public final class Rng {
    private final SplittableRandom random;

    private Rng(long state) {
        this.random = new SplittableRandom(state);
    }

    /** The stream for {@code index} (an item or a batch) in {@code epoch} of a run seeded with {@code seed}. */
    public static Rng of(long seed, long epoch, long index) {
        return new Rng(mix(mix(mix(0x9E3779B97F4A7C15L ^ seed) + epoch) + index));
    }

    /** A stream derived from this one's seed and a purpose tag, e.g. to separate shuffling from augmentation. */
    public static Rng of(long seed, String purpose, long epoch, long index) {
        return of(seed ^ mix(purpose.hashCode()), epoch, index);
    }

    /** Uniform in [0, 1). */
    public double uniform() {
        return random.nextDouble();
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo == hi ? lo : random.nextDouble(lo, hi);
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** A long for seeding something else deterministically. */
    public long nextLong() {
        return random.nextLong();
    }

    // SplitMix64's finaliser: neighbouring (seed, epoch, index) triples give unrelated streams.
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
