package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicroBatcherTest {
    @Test
    void itemsWaitingTogetherGoInOneBatchOfAtMostMaxBatch() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gate = new CountDownLatch(1);
        try (MicroBatcher<Integer, String> b = new MicroBatcher<>(items -> {
            await(gate);
            sizes.add(items.size());
            return items.stream().map(i -> "#" + i).toList();
        }, 4, 5, 100)) {
            List<CompletableFuture<String>> results = new ArrayList<>();
            results.add(b.submit(0)); // the dispatcher takes this one and blocks on the gate
            Thread.sleep(50);
            for (int i = 1; i <= 9; i++) {
                results.add(b.submit(i)); // these queue up meanwhile
            }
            assertThat(b.waiting()).isEqualTo(9);
            gate.countDown();
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(5, TimeUnit.SECONDS)).isEqualTo("#" + i);
            }
        }
        assertThat(sizes).containsExactly(1, 4, 4, 1);
    }

    @Test
    void aLoneItemWaitsAtMostMaxWait() throws Exception {
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>(items -> items, 16, 20, 10)) {
            long t0 = System.nanoTime();
            assertThat(b.submit(7).get(5, TimeUnit.SECONDS)).isEqualTo(7);
            assertThat((System.nanoTime() - t0) / 1e6).isBetween(15.0, 1000.0);
        }
    }

    @Test
    void aFullQueueRefusesAtOnce() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        try (MicroBatcher<Integer, Integer> b = new MicroBatcher<>(items -> {
            await(gate);
            return items;
        }, 1, 0, 2)) {
            CompletableFuture<Integer> running = b.submit(1);
            Thread.sleep(50);
            CompletableFuture<Integer> q1 = b.submit(2);
            CompletableFuture<Integer> q2 = b.submit(3);
            assertThatThrownBy(() -> b.submit(4)).isInstanceOf(MicroBatcher.QueueFullException.class)
                    .hasMessageStartingWith("the server is busy: 2 images are already waiting");
            gate.countDown();
            assertThat(List.of(running.get(), q1.get(), q2.get())).containsExactly(1, 2, 3);
        }
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
            assertThat(b.submit(14).get(5, TimeUnit.SECONDS)).isEqualTo(14);
        }
    }

    @Test
    void closeFinishesWhatIsQueuedAndThenRefuses() throws Exception {
        MicroBatcher<Integer, Integer> b = new MicroBatcher<>(items -> {
            sleep(100);
            return items;
        }, 1, 0, 10);
        List<CompletableFuture<Integer>> queued = List.of(b.submit(1), b.submit(2), b.submit(3));
        b.close(5000);
        for (CompletableFuture<Integer> f : queued) {
            assertThat(f).isCompleted();
        }
        assertThatThrownBy(() -> b.submit(4)).hasMessage("the server is shutting down");
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
