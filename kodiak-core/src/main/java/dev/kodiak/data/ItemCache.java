package dev.kodiak.data;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decoded items kept between epochs, up to a byte budget, so a file is read and decoded once per run: on small
 * images decoding is a large share of an epoch, and the training step shares the cores with it.
 *
 * <p>Items are admitted until the budget is spent and never evicted. Epochs visit every item once in random
 * order, and for such a scan any eviction policy would only trade one decode for another; keeping the first
 * items is as good and needs no bookkeeping. A failed load is not cached (the next epoch reports it again).
 */
final class ItemCache<X> {
    private final long budget;
    private final ConcurrentHashMap<Path, X> items = new ConcurrentHashMap<>();
    private final AtomicLong used = new AtomicLong();

    ItemCache(long budget) {
        this.budget = budget;
    }

    /** The decoded item: from the cache, or loaded by {@code input} (and kept while the budget lasts). */
    X load(Path item, InputBlock<X> input) {
        X hit = items.get(item);
        if (hit != null) {
            return hit;
        }
        X sample = input.load(item);
        long bytes = input.bytes(sample);
        if (bytes >= 0 && budget > 0) {
            if (used.addAndGet(bytes) <= budget && items.putIfAbsent(item, sample) == null) {
                return sample;
            }
            used.addAndGet(-bytes); // over budget, or another worker cached it first
        }
        return sample;
    }

    /** Items held. */
    int size() {
        return items.size();
    }

    /** Bytes held. */
    long bytes() {
        return used.get();
    }
}
