package dev.kodiak.learn;

import java.util.Iterator;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Internal: adds up the wall time the training loop spends inside its batch iterator (making it, {@code hasNext},
 * {@code next}), i.e. blocked on data: the loader threads make whole batches, so this is waiting for them. The
 * {@link Recorder} resets it before each training phase and reads it after.
 */
final class DataWaitClock {
    private final LongSupplier nanoTime;
    private long waitNanos;

    /** @param nanoTime the time source ({@code System::nanoTime}; tests pass a clock they move themselves) */
    DataWaitClock(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The batches of {@code epoch}, with every call into their iterator timed. */
    <T> Iterator<T> timed(Iterable<T> epoch) {
        long t0 = nanoTime.getAsLong();
        Iterator<T> inner = epoch.iterator();
        waitNanos += nanoTime.getAsLong() - t0;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return time(inner::hasNext);
            }

            @Override
            public T next() {
                return time(inner::next);
            }
        };
    }

    private <R> R time(Supplier<R> call) {
        long t = nanoTime.getAsLong();
        try {
            return call.get();
        } finally {
            waitNanos += nanoTime.getAsLong() - t;
        }
    }

    void reset() {
        waitNanos = 0;
    }

    long waitNanos() {
        return waitNanos;
    }
}
