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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder's data-wait accounting: how much of each training phase the loop spends blocked on the loader.
 * 80 tiny items, 25% valid → 60 train → 7 batches of 8 per epoch (the last incomplete batch is dropped).
 */
class DataWaitTest {
    private static final int BATCHES = 7;
    private static final int BS = 8;

    @TempDir
    Path dir;

    @BeforeEach
    void makeData() throws IOException {
        for (String label : List.of("a", "b")) {
            for (int i = 0; i < 40; i++) {
                RawImageBlock.write(dir.resolve(label).resolve(String.format("%s%02d.raw", label, i)), 8, 8, i);
            }
        }
    }

    /** Sleeps on every training item: a deliberately slow decode. */
    private record SlowItem(long millis) implements ItemTransform<RawImageBlock.Raw> {
        @Override
        public RawImageBlock.Raw apply(RawImageBlock.Raw item, Rng rng, boolean training) {
            if (training) {
                sleep(millis);
            }
            return item;
        }
    }

    /** Sleeps after every optimizer step: a deliberately slow model. */
    private record SlowStep(long millis) implements Callback {
        @Override
        public void afterStep(Learner learn) {
            sleep(millis);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private DataLoaders<RawImageBlock.Raw> dls(int workers, ItemTransform<RawImageBlock.Raw>... items) {
        return DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .itemTransforms(items)
                .build().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(BS).withWorkers(workers));
    }

    private static Learner learner(DataLoaders<?> dls) {
        Engine.seed(0);
        Learner learn = Learner.builder(dls, new TinyClassifier(2)).build();
        learn.log(new PrintStream(OutputStream.nullOutputStream()));
        return learn;
    }

    @Test
    void aLoopFedByASlowLoaderSpendsMostOfItsTrainingTimeWaiting() {
        try (var dls = dls(1, new SlowItem(20))) {
            assertThat(dls.train().batchCount()).isEqualTo(BATCHES);
            Learner learn = learner(dls);
            learn.fit(2, 1e-3);
            for (EpochResult e : learn.recorder().epochs()) {
                // one worker decodes 7 × 8 items at 20 ms each, one after another: the last batch cannot be handed
                // out before 1.12 s, so the training phase lasts at least that long
                assertThat(e.trainSeconds()).isGreaterThanOrEqualTo(BATCHES * BS * 0.020);
                // a step of this tiny network takes a few ms (the very first ones up to ~100 ms of warm-up), a
                // batch 160 ms to decode: the loop waits for the rest. Idle machine: 0.92 first epoch, 0.97 after;
                // the margin is for a busy one
                assertThat(e.dataWaitFraction()).isGreaterThan(0.75).isLessThanOrEqualTo(1.0);
                assertThat(e.dataWaitSeconds()).isLessThanOrEqualTo(e.trainSeconds());
                assertThat(e.trainSeconds()).isLessThan(e.seconds());
            }
            assertThat(learn.recorder().dataWaitFraction()).isGreaterThan(0.75);
        }
    }

    @Test
    void aSlowModelFedByAFastLoaderHardlyWaits() {
        try (var dls = dls(2)) {
            Learner learn = learner(dls);
            learn.fit(2, dev.kodiak.learn.schedule.LrSlice.single(1e-3), List.of(new SlowStep(50)));
            List<EpochResult> epochs = learn.recorder().epochs();
            for (EpochResult e : epochs) {
                // 7 steps of at least 50 ms each
                assertThat(e.trainSeconds()).isGreaterThanOrEqualTo(BATCHES * 0.050);
                // decoding 8 raw 8×8 items takes well under a millisecond and two workers keep 4 batches ready,
                // so only the first batch (and the tensor making of each) is waited for: ~13 ms of ~400 when idle
                assertThat(e.dataWaitFraction()).isLessThan(0.1).isGreaterThan(0.0);
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
