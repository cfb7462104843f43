package dev.kodiak.gather;

import java.time.Duration;

/** Waits. The real one sleeps; tests pass one that records the waits asked for and returns at once. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** {@link Thread#sleep}. */
    static Sleeper real() {
        return d -> {
            if (!d.isNegative() && !d.isZero()) {
                Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
            }
        };
    }
}
