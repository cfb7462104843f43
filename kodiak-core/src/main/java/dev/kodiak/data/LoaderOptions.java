package dev.kodiak.data;

import dev.kodiak.KodiakException;

/**
 * How loaders batch and decode.
 *
 * @param batchSize    items per batch (fastai's default 64)
 * @param workers      decoding threads (default: the number of cores)
 * @param seed         seeds shuffling, crops and augmentation: the same seed gives the same batches
 * @param skipBadItems true: an item that cannot be loaded is left out and reported once at the end;
 *                     false: it stops the run with an error naming the file
 * @param prefetch     batches decoded ahead of the one being used, per worker
 * @param cacheBytes   memory for keeping decoded items between epochs, so each file is read and decoded once per
 *                     run while the budget lasts (later items are decoded every epoch); 0 turns the cache off
 */
public record LoaderOptions(int batchSize, int workers, long seed, boolean skipBadItems, int prefetch,
                            long cacheBytes) {
    public LoaderOptions {
        if (batchSize < 1) {
            throw new KodiakException("batch size must be at least 1, got " + batchSize);
        }
        if (workers < 1) {
            throw new KodiakException("workers must be at least 1, got " + workers);
        }
        if (prefetch < 1) {
            throw new KodiakException("prefetch must be at least 1, got " + prefetch);
        }
        if (cacheBytes < 0) {
            throw new KodiakException("the decoded-item cache cannot be negative, got " + cacheBytes + " bytes");
        }
    }

    /**
     * Batch size 64, one worker per core, seed 42, bad items stop the run, prefetch 2, a quarter of the Java heap
     * for decoded items.
     */
    public static LoaderOptions defaults() {
        return new LoaderOptions(64, Runtime.getRuntime().availableProcessors(), 42, false, 2,
                Runtime.getRuntime().maxMemory() / 4);
    }

    public LoaderOptions withBatchSize(int batchSize) {
        return new LoaderOptions(batchSize, workers, seed, skipBadItems, prefetch, cacheBytes);
    }

    public LoaderOptions withWorkers(int workers) {
        return new LoaderOptions(batchSize, workers, seed, skipBadItems, prefetch, cacheBytes);
    }

    public LoaderOptions withSeed(long seed) {
        return new LoaderOptions(batchSize, workers, seed, skipBadItems, prefetch, cacheBytes);
    }

    public LoaderOptions withSkipBadItems(boolean skipBadItems) {
        return new LoaderOptions(batchSize, workers, seed, skipBadItems, prefetch, cacheBytes);
    }

    public LoaderOptions withCacheBytes(long cacheBytes) {
        return new LoaderOptions(batchSize, workers, seed, skipBadItems, prefetch, cacheBytes);
    }
}
