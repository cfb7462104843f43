package dev.kodiak.serve;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Gathers single requests into batches for a model that is faster per item on a batch: one dispatcher thread takes
 * the first waiting item, waits at most {@code maxWait} for more (up to {@code maxBatch}), runs the batch function
 * once, and completes each item's future with its own result. The queue is bounded: {@link #submit} refuses an item
 * when it is full (the server answers 503) instead of letting memory grow without limit.
 *
 * @param <I> what callers submit (a decoded image)
 * @param <O> what each gets back (a prediction)
 */
public final class MicroBatcher<I, O> implements AutoCloseable {
    private final Function<List<I>, List<O>> batchFunction;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Job<I, O>> queue;
    private final int capacity;
    private final Thread dispatcher;
    private final LongSupplier nanoTime;
    private volatile boolean closing;

    private record Job<I, O>(I item, CompletableFuture<O> result) {
    }

    /** The queue is full: try again shortly. */
    public static final class QueueFullException extends KodiakException {
        private static final long serialVersionUID = 1L;

        QueueFullException(int capacity) {
            super("the server is busy: " + capacity + " images are already waiting for the model; try again in a second");
        }
    }

    /**
     * @param batchFunction runs one batch; must return one result per item, in order
     * @param maxBatch      most items per batch
     * @param maxWaitMillis longest wait for more items after the first one arrived
     * @param capacity      most items waiting (not counting the batch being run)
     */
    public MicroBatcher(Function<List<I>, List<O>> batchFunction, int maxBatch, double maxWaitMillis, int capacity) {
        this(batchFunction, maxBatch, maxWaitMillis, capacity, System::nanoTime);
    }

    /** For tests: {@code nanoTime} decides when {@code maxWait} is over, so they need not measure real time. */
    MicroBatcher(Function<List<I>, List<O>> batchFunction, int maxBatch, double maxWaitMillis, int capacity,
                 LongSupplier nanoTime) {
        if (maxBatch < 1 || capacity < 1 || !(maxWaitMillis >= 0)) {
            throw new KodiakException("micro-batching needs maxBatch >= 1, capacity >= 1 and maxWait >= 0; got "
                    + maxBatch + ", " + capacity + ", " + maxWaitMillis);
        }
        this.batchFunction = batchFunction;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = (long) (maxWaitMillis * 1_000_000L);
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.nanoTime = nanoTime;
        this.dispatcher = new Thread(this::dispatch, "kodiak-batcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    /**
     * Queues one item; the future completes with its result, or exceptionally with the batch's error.
     *
     * @throws QueueFullException when {@code capacity} items are already waiting
     * @throws KodiakException    after {@link #close}
     */
    public CompletableFuture<O> submit(I item) {
        if (closing) {
            throw new KodiakException("the server is shutting down");
        }
        CompletableFuture<O> result = new CompletableFuture<>();
        if (!queue.offer(new Job<>(item, result))) {
            throw new QueueFullException(capacity);
        }
        return result;
    }

    /** Items waiting for the model now. */
    public int waiting() {
        return queue.size();
    }

    private void dispatch() {
        List<Job<I, O>> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                Job<I, O> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long deadline = nanoTime.getAsLong() + maxWaitNanos;
                while (batch.size() < maxBatch) {
                    long left = deadline - nanoTime.getAsLong();
                    Job<I, O> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                run(batch);
            } catch (InterruptedException e) {
                // close() gave up waiting: fail whatever is left so no caller hangs
                for (Job<I, O> j : batch) {
                    j.result().completeExceptionally(new KodiakException("the server stopped before this image was predicted"));
                }
                Job<I, O> j;
                while ((j = queue.poll()) != null) {
                    j.result().completeExceptionally(new KodiakException("the server stopped before this image was predicted"));
                }
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Job<I, O>> batch) {
        List<I> items = new ArrayList<>(batch.size());
        for (Job<I, O> j : batch) {
            items.add(j.item());
        }
        try {
            List<O> results = batchFunction.apply(items);
            if (results.size() != batch.size()) {
                throw new IllegalStateException("the model answered " + results.size() + " results for "
                        + batch.size() + " images");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            for (Job<I, O> j : batch) {
                j.result().completeExceptionally(e);
            }
        }
    }

    /**
     * Refuses new items, lets the dispatcher finish what is queued (at most {@code graceMillis}), then stops it;
     * anything still waiting after that fails. Idempotent.
     */
    public void close(long graceMillis) {
        closing = true;
        try {
            dispatcher.join(Math.max(1, graceMillis));
            if (dispatcher.isAlive()) {
                dispatcher.interrupt();
                dispatcher.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(30_000);
    }
}
