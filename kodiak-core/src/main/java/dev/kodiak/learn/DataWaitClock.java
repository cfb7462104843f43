package dev.kodiak.learn;

import java.util.Iterator;

/**
 * Internal: adds up the wall time the training loop spends inside its batch iterator (making it, {@code hasNext},
 * {@code next}), i.e. blocked on data. That covers waiting for the workers' decoded items and the work the
 * loader does on the calling thread (tensor making and batch transforms such as augmentation). The
 * {@link Recorder} resets it before each training phase and reads it after.
 */
final class DataWaitClock {
    private long waitNanos;

    /** The batches of {@code epoch}, with every call into their iterator timed. */
    <T> Iterator<T> timed(Iterable<T> epoch) {
        long t0 = System.nanoTime();
        Iterator<T> inner = epoch.iterator();
        waitNanos += System.nanoTime() - t0;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                long t = System.nanoTime();
                try {
                    return inner.hasNext();
                } finally {
                    waitNanos += System.nanoTime() - t;
                }
            }

            @Override
            public T next() {
                long t = System.nanoTime();
                try {
                    return inner.next();
                } finally {
                    waitNanos += System.nanoTime() - t;
                }
            }
        };
    }

    void reset() {
        waitNanos = 0;
    }

    long waitNanos() {
        return waitNanos;
    }
}
