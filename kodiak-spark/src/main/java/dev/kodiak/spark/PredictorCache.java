package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.predict.PredictorOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One {@link Predictor} per model (SHA-256) and options per JVM, shared by every task thread of an executor: a
 * predictor is thread-safe (forward passes hold no mutable state) and one per task thread would hold the weights once
 * per core (measured no faster either: docs/spark.md; {@code predictorScope=taskThread} asks for it). The driver's
 * check of the model loads it here too, so a local run loads it once in all.
 */
public final class PredictorCache {
    private static final Map<String, Predictor> PREDICTORS = new ConcurrentHashMap<>();
    private static final AtomicInteger CREATED = new AtomicInteger();

    private PredictorCache() {
    }

    /** The predictor of model {@code sha256} with {@code options}, loaded from {@code file} the first time. */
    static Predictor get(String sha256, String shownAs, Supplier<Path> file, PredictorOptions options) {
        return load(sha256 + " " + options, shownAs, file, options);
    }

    /**
     * The calling thread's own predictor of the model ({@code predictorScope=taskThread}): Spark's task threads are
     * pooled and reused, so it serves the thread's later tasks too; it lives until {@link #clear()}.
     */
    static Predictor forThread(String sha256, String shownAs, Supplier<Path> file, PredictorOptions options) {
        return load(sha256 + " " + options + " thread " + Thread.currentThread().getId(), shownAs, file, options);
    }

    private static Predictor load(String key, String shownAs, Supplier<Path> file, PredictorOptions options) {
        return PREDICTORS.computeIfAbsent(key, k -> {
            try {
                Predictor p = Predictor.load(file.get(), options);
                CREATED.incrementAndGet();
                return p;
            } catch (KodiakException e) {
                throw new KodiakException("model " + shownAs + " cannot be used: " + e.getMessage(), e);
            }
        });
    }

    /** How many predictors this JVM has loaded (each model and options once, unless {@link #clear()}ed). */
    public static int created() {
        return CREATED.get();
    }

    /** Closes and forgets every predictor of this JVM (their native memory is freed). */
    public static void clear() {
        PREDICTORS.values().removeIf(p -> {
            p.close();
            return true;
        });
    }
}
