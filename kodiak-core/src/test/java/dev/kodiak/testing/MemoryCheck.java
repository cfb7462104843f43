package dev.kodiak.testing;

import dev.kodiak.engine.NativeMemory;
import java.util.function.IntConsumer;

/**
 * Runs a step many times and measures native memory: the live-object count (JavaCPP's tracked native objects) and
 * the process RSS, between the end of a warm-up and the end of the run. A step that leaks tensor handles shows up
 * as a count that grows with the number of iterations.
 *
 * @param afterWarmup the reading after the warm-up iterations
 * @param end         the reading after all iterations
 * @param iterations  iterations run after the warm-up
 */
public record MemoryCheck(NativeMemory afterWarmup, NativeMemory end, int iterations) {

    /** Runs {@code step} (given the iteration number) {@code warmup} times, reads, then {@code iterations} more. */
    public static MemoryCheck run(int warmup, int iterations, IntConsumer step) {
        for (int i = 0; i < warmup; i++) {
            step.accept(i);
        }
        NativeMemory before = NativeMemory.now();
        for (int i = 0; i < iterations; i++) {
            step.accept(warmup + i);
        }
        return new MemoryCheck(before, NativeMemory.now(), iterations);
    }

    /** Native objects gained after the warm-up. */
    public long objectGrowth() {
        return end.objectsSince(afterWarmup);
    }

    /** Resident bytes gained after the warm-up. */
    public long rssGrowthBytes() {
        return end.rssSince(afterWarmup);
    }

    /**
     * Fails if the object count grew by more than {@code objectTolerance} or RSS by {@code maxRssMb} or more. A fall
     * is fine: the GC may free objects that earlier code left to it while the check runs.
     */
    public MemoryCheck assertFlat(long objectTolerance, long maxRssMb) {
        if (objectGrowth() > objectTolerance) {
            throw new AssertionError("native objects grew by " + objectGrowth() + " over " + iterations
                    + " iterations (tolerance " + objectTolerance + "): a step leaks; " + this);
        }
        if (rssGrowthBytes() >= maxRssMb << 20) {
            throw new AssertionError("RSS grew by " + (rssGrowthBytes() >> 20) + " MB over " + iterations
                    + " iterations (limit " + maxRssMb + " MB); " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return "after warm-up: " + afterWarmup + "; at end: " + end;
    }
}
