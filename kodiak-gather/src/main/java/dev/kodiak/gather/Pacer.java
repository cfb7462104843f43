package dev.kodiak.gather;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Internal: keeps at least {@code interval} between the starts of requests (an API's rate limit). */
final class Pacer {
    private final Duration interval;
    private final Clock clock;
    private final HttpFetcher waiter;
    private Instant next = Instant.MIN;

    Pacer(Duration interval, Clock clock, HttpFetcher waiter) {
        this.interval = interval;
        this.clock = clock;
        this.waiter = waiter;
    }

    /** Waits until the next request may start, and books the slot after it. */
    synchronized void await() {
        Instant now = clock.instant();
        if (now.isBefore(next)) {
            waiter.sleep(Duration.between(now, next));
            now = next;
        }
        next = now.plus(interval);
    }
}
