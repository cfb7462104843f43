package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Rng;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.Engine;
import dev.kodiak.testing.RawImageBlock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder's data-wait accounting: how much of each training phase the loop spends blocked on the loader.
 * 80 tiny items, 25% valid → 60 train → 7 batches of 8 per epoch (the last incomplete batch is dropped).
 *
 * <p>Time is a test clock that moves only when a deliberately slow part says so: decoding a training item, a
 * step, a validation. One loader worker with one batch in flight, and semaphores decide whether a batch is decoded
 * while the loop waits for it or while the loop is busy stepping, so every figure is exact whatever the machine's
 * load.
 */
class DataWaitTest {
    private static final int BATCHES = 7;
    private static final int BS = 8;
    private static final long MS = 1_000_000;

    @TempDir
    Path dir;

    private final TestClock clock = new TestClock();
    private final PacedDecode decode = new PacedDecode();

    @BeforeEach
    void makeData() throws IOException {
        for (String label : List.of("a", "b")) {
            for (int i = 0; i < 40; i++) {
                RawImageBlock.write(dir.resolve(label).resolve(String.format("%s%02d.raw", label, i)), 8, 8, i);
            }
        }
    }

    /** Nanoseconds that pass only when told to; the training loop is the only thread that reads it. */
    private static final class TestClock implements LongSupplier {
        private final AtomicLong now = new AtomicLong();
        private final AtomicReference<Runnable> afterNextRead = new AtomicReference<>();

        void advance(long nanos) {
            now.addAndGet(nanos);
        }

        /** Runs {@code action} just after the clock's next reading, e.g. once the loop has noted when it began waiting. */
        void afterNextRead(Runnable action) {
            afterNextRead.set(action);
        }

        @Override
        public long getAsLong() {
            long t = now.get();
            Runnable action = afterNextRead.getAndSet(null);
            if (action != null) {
                action.run();
            }
            return t;
        }
    }

    /**
     * Decoding a training item takes {@code itemNanos} of test time. The first batch of an epoch is decoded while the
     * loop waits for it; every later batch only once {@link #go} lets it, and {@link #decoded} says when it is done.
     * One worker with one batch in flight: the items come one after another from one thread, in batch order.
     */
    private final class PacedDecode implements ItemTransform<RawImageBlock.Raw> {
        final Semaphore go = new Semaphore(0);
        final Semaphore decoded = new Semaphore(0);
        final AtomicInteger items = new AtomicInteger();
        volatile long itemNanos;

        @Override
        public RawImageBlock.Raw apply(RawImageBlock.Raw item, Rng rng, boolean training) {
            if (training) {
                int k = items.getAndIncrement() % (BATCHES * BS); // the item's place in its epoch
                if (k >= BS && k % BS == 0) {
                    acquire(go);
                }
                clock.advance(itemNanos);
                if (k >= BS && k % BS == BS - 1) {
                    decoded.release();
                }
            }
            return item;
        }
    }

    private static void acquire(Semaphore s) {
        try {
            if (!s.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the loader and the loop never met: a batch was not asked for or not made");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private DataLoaders<RawImageBlock.Raw> dls() {
        // one worker, one batch decoded ahead, no cache (the transform must see every item every epoch)
        return DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .itemTransforms(decode)
                .build().dataLoaders(dir, new LoaderOptions(BS, 1, 42, false, 1, 0));
    }

    private Learner learner(DataLoaders<?> dls) {
        Engine.seed(0);
        Learner learn = Learner.builder(dls, new TinyClassifier(2)).build();
        learn.log(new PrintStream(OutputStream.nullOutputStream()));
        learn.useClock(clock);
        return learn;
    }

    /** True after every training batch but the epoch's last: the loader has one more batch to make. */
    private static boolean moreToCome(Learner l) {
        return l.training() && l.iter() < l.iters() - 1;
    }

    @Test
    void aLoopFedByASlowLoaderSpendsMostOfItsTrainingTimeWaiting() {
        decode.itemNanos = 20 * MS; // 160 ms a batch
        try (var dls = dls()) {
            assertThat(dls.train().batchCount()).isEqualTo(BATCHES);
            Learner learn = learner(dls);
            learn.fit(2, dev.kodiak.learn.schedule.LrSlice.single(1e-3), List.of(new Callback() {
                @Override
                public void afterStep(Learner l) {
                    clock.advance(10 * MS);
                }

                @Override
                public void afterBatch(Learner l) {
                    if (moreToCome(l)) {
                        // the next batch is decoded only after the loop has started waiting for it
                        clock.afterNextRead(decode.go::release);
                    }
                }

                @Override
                public void afterValidate(Learner l) {
                    clock.advance(30 * MS);
                }
            }));
            List<EpochResult> epochs = learn.recorder().epochs();
            assertThat(epochs).hasSize(2);
            for (EpochResult e : epochs) {
                // the loop waits through all 7 decodes of 160 ms and steps 7 times for 10 ms
                assertThat(e.dataWaitSeconds()).isEqualTo(1.12);
                assertThat(e.trainSeconds()).isEqualTo(1.19);
                assertThat(e.seconds()).isEqualTo(1.22); // + 30 ms of validation
                assertThat(e.dataWaitFraction()).isCloseTo(1120.0 / 1190, within(1e-12));
            }
            assertThat(learn.recorder().dataWaitFraction()).isCloseTo(1120.0 / 1190, within(1e-12));
        }
    }

    @Test
    void aSlowModelFedByAFastLoaderHardlyWaits() {
        decode.itemNanos = MS; // 8 ms a batch
        try (var dls = dls()) {
            Learner learn = learner(dls);
            learn.fit(2, dev.kodiak.learn.schedule.LrSlice.single(1e-3), List.of(new Callback() {
                @Override
                public void afterStep(Learner l) {
                    if (moreToCome(l)) {
                        // the next batch is decoded while the loop is busy with this step
                        decode.go.release();
                        acquire(decode.decoded);
                    }
                    clock.advance(50 * MS);
                }
            }));
            List<EpochResult> epochs = learn.recorder().epochs();
            assertThat(epochs).hasSize(2);
            for (EpochResult e : epochs) {
                // only the epoch's first batch is waited for: 8 ms of 7 × (8 + 50) ms
                assertThat(e.dataWaitSeconds()).isEqualTo(0.008);
                assertThat(e.trainSeconds()).isEqualTo(0.406);
                assertThat(e.seconds()).isEqualTo(e.trainSeconds()); // validation took no test time
                assertThat(e.dataWaitFraction()).isCloseTo(8.0 / 406, within(1e-12));
            }
            // the whole-run figure is total waiting over total training time, not a mean of the epochs' fractions
            double wait = epochs.get(0).dataWaitSeconds() + epochs.get(1).dataWaitSeconds();
            double train = epochs.get(0).trainSeconds() + epochs.get(1).trainSeconds();
            assertThat(learn.recorder().dataWaitFraction()).isCloseTo(wait / train, within(1e-12));
        }
    }

    @Test
    void anEpochWithoutTrainingHasNoFraction() {
        EpochResult skipped = new EpochResult("train", 0, Double.NaN, 0.5, java.util.Map.of(), 0.1, 0, 0);
        assertThat(skipped.dataWaitFraction()).isNaN();
        EpochResult half = new EpochResult("train", 1, 0.3, 0.5, java.util.Map.of(), 3, 2, 1);
        assertThat(half.dataWaitFraction()).isEqualTo(0.5);
        assertThat(EpochResult.dataWaitFraction(List.of(skipped, half))).isEqualTo(0.5);
        assertThat(EpochResult.dataWaitFraction(List.of(skipped))).isNaN();
    }
}
