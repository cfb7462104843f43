package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No test measures real time: a held model and latches order the threads, and a test clock ends maxWait. */
@Timeout(60) // a guard against a hang, not a measurement: every test takes milliseconds
class MicroBatcherTest {
    private static final double HOUR_MS = 3_600_000;

    /** A model that notes each batch's size, says when a batch reached it, and holds it there until let go. */
    private static final class HeldModel implements Function<List<Integer>, List<Integer>> {
        final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        final Semaphore reached = new Semaphore(0);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public List<Integer> apply(List<Integer> items) {
            sizes.add(items.size());
            reached.release();
            await(release);
            return items;
        }

        void awaitBatch() throws InterruptedException {
            assertThat(reached.tryAcquire(30, TimeUnit.SECONDS)).as("a batch reached the model").isTrue();
        }
    }

    @Test
    void itemsWaitingTogetherGoInOneBatchOfAtMostMaxBatch() throws Exception {
        HeldModel model = new HeldModel();
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>(model, 4, 5, 100)) {
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            results.add(b.submit(0));
            model.awaitBatch(); // the dispatcher took this one alone and the model holds it
            for (int i = 1; i <= 9; i++) {
                results.add(b.submit(i)); // these queue up meanwhile
            }
            assertThat(b.waiting()).isEqualTo(9);
            model.release.countDown();
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(i);
            }
        }
        assertThat(model.sizes).containsExactly(1, 4, 4, 1);
    }

    @Test
    void itemsArrivingBeforeMaxWaitIsOverJoinTheFirstOnesBatch() throws Exception {
        CountDownLatch firstTaken = new CountDownLatch(1);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        // time stands still: maxWait (an hour) is never over, so only a full batch goes to the model
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>(items -> {
            sizes.add(items.size());
            return items;
        }, 3, HOUR_MS, 10, () -> {
            firstTaken.countDown(); // the dispatcher reads the clock once it holds a first item
            return 0;
        })) {
            CompletableFuture<Integer> first = b.submit(1);
            assertThat(firstTaken.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> second = b.submit(2);
            CompletableFuture<Integer> third = b.submit(3);
            assertThat(List.of(first.get(), second.get(), third.get())).containsExactly(1, 2, 3);
        }
        assertThat(sizes).containsExactly(3);
    }

    @Test
    void aLoneItemGoesAloneOnceMaxWaitIsOver() throws Exception {
        AtomicLong now = new AtomicLong();
        long hourNanos = (long) (HOUR_MS * 1e6);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        // every reading of this clock is an hour and a nanosecond after the one before: the wait is over at once
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>(items -> {
            sizes.add(items.size());
            return items;
        }, 16, HOUR_MS, 10, () -> now.getAndAdd(hourNanos + 1))) {
            assertThat(b.submit(7).get()).isEqualTo(7);
        }
        assertThat(sizes).containsExactly(1);
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        HeldModel model = new HeldModel();
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>(model, 1, 0, 2)) {
            CompletableFuture<Integer> running = b.submit(1);
            model.awaitBatch();
            CompletableFuture<Integer> q1 = b.submit(2);
            CompletableFuture<Integer> q2 = b.submit(3);
            assertThatThrownBy(() -> b.submit(4)).isInstanceOf(MicroBatcher.QueueFullException.class)
                    .hasMessageStartingWith("the server is busy: 2 images are already waiting");
            model.release.countDown();
            assertThat(List.of(running.get(), q1.get(), q2.get())).containsExactly(1, 2, 3);
        }
        assertThat(model.sizes).containsExactly(1, 1, 1);
    }

    @Test
    void aFailingBatchFailsEveryItemInItAndTheNextBatchStillRuns() throws Exception {
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>(items -> {
            if (items.contains(13)) {
                throw new IllegalStateException("unlucky");
            }
            return items;
        }, 8, 0, 10)) {
            CompletableFuture<Integer> bad = b.submit(13);
            assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("unlucky");
            assertThat(b.submit(14).get()).isEqualTo(14);
        }
    }

    @Test
    void closeFinishesWhatIsQueuedAndThenRefuses() throws Exception {
        HeldModel model = new HeldModel();
        MicroBatcher<Integer, Integer> b = new MicroBatcher<>(model, 1, 0, 2);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        all.add(b.submit(1));
        model.awaitBatch();
        all.add(b.submit(2));
        all.add(b.submit(3)); // the queue is full now
        Thread closer = new Thread(() -> b.close(30_000));
        closer.start();
        awaitClosing(b);
        model.release.countDown(); // only now can the held batch and the two queued ones run
        closer.join();
        assertThat(all).allMatch(CompletableFuture::isDone);
        assertThat(all.stream().map(CompletableFuture::join).toList()).containsExactly(1, 2, 3);
        assertThat(model.sizes).containsExactly(1, 1, 1);
        assertThatThrownBy(() -> b.submit(4)).hasMessage("the server is shutting down");
    }

    /**
     * Returns once {@code close} has begun on the full batcher {@code b}: until then a submit is refused as busy (and
     * nothing is queued), from then on as shutting down.
     */
    private static void awaitClosing(MicroBatcher<Integer, Integer> b) {
        while (true) {
            try {
                b.submit(-1);
                throw new AssertionError("the queue should have been full");
            } catch (MicroBatcher.QueueFullException busy) {
                Thread.yield();
            } catch (KodiakException shuttingDown) {
                assertThat(shuttingDown).hasMessage("the server is shutting down");
                return;
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
