package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.Engine;
import dev.kodiak.learn.loss.Loss;
import dev.kodiak.learn.loss.Losses;
import dev.kodiak.testing.RawImageBlock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import dev.kodiak.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One evaluation path: a validation batch's loss is computed once, and the epoch's loss is the mean of it. */
class ValidationLossOnceTest {
    @TempDir
    Path dir;

    /** Cross-entropy that counts how often each phase computes it. */
    static final class CountingLoss implements Loss, Callback {
        private final Loss inner = Losses.crossEntropy();
        boolean validating;
        int trainCalls;
        int validCalls;
        int validBatches;
        int trainBatches;

        private void count() {
            if (validating) {
                validCalls++;
            } else {
                trainCalls++;
            }
        }

        @Override public String name() {
            return inner.name();
        }

        @Override public Tensor mean(Tensor output, Tensor target) {
            count();
            return inner.mean(output, target);
        }

        @Override public Tensor perItem(Tensor output, Tensor target) {
            count();
            return inner.perItem(output, target);
        }

        @Override public Tensor activation(Tensor output) {
            return inner.activation(output);
        }

        @Override public boolean classTargets() {
            return inner.classTargets();
        }

        @Override public void beforeValidate(Learner learn) {
            validating = true;
        }

        @Override public void afterValidate(Learner learn) {
            validating = false;
        }

        @Override public void afterBatch(Learner learn) {
            if (learn.training()) {
                trainBatches++;
            } else {
                validBatches++;
            }
        }
    }

    @Test
    void eachValidationBatchComputesItsLossOnce() throws IOException {
        ColourImages.write(dir, 20);
        CountingLoss loss = new CountingLoss();
        try (DataLoaders<RawImageBlock.Raw> dls = DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .build().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(4).withWorkers(1))) {
            Engine.seed(0);
            Learner learn = Learner.builder(dls, new TinyClassifier(2)).loss(loss).callbacks(loss).build();
            learn.log(new PrintStream(OutputStream.nullOutputStream()));
            learn.fit(2, 1e-2);

            assertThat(loss.validBatches).isEqualTo(2 * 3); // 10 validation items in batches of 4, two epochs
            assertThat(loss.validCalls).isEqualTo(loss.validBatches);
            assertThat(loss.trainCalls).isEqualTo(loss.trainBatches);
            // the epoch's validation loss is still the mean over the items, as a separate evaluation finds it
            loss.validating = true;
            assertThat(learn.validate().loss()).isEqualTo(learn.recorder().lastEpoch().validLoss(), within(1e-6));
        }
    }
}
