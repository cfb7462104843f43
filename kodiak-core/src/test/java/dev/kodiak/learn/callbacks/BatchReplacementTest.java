package dev.kodiak.learn.callbacks;

import static dev.kodiak.learn.callbacks.CallbackFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.StepScope;
import dev.kodiak.learn.Callback;
import dev.kodiak.learn.Learner;
import dev.kodiak.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a callback may change in the current batch, when, and how the loop uses it. */
class BatchReplacementTest {
    @TempDir
    Path dir;

    @BeforeEach
    void data() throws IOException {
        CallbackFixtures.writeImages(dir, 40); // 60 train items (7 batches of 8), 20 valid (3 batches)
    }

    @Test
    void beforeStepComesBetweenTheBackwardPassAndTheStep() {
        List<String> events = new ArrayList<>();
        Callback log = new Callback() {
            @Override
            public void beforeBatch(Learner l) {
                events.add((l.training() ? "train " : "valid ") + "beforeBatch");
            }

            @Override
            public void afterPred(Learner l) {
                events.add("afterPred");
            }

            @Override
            public void afterLoss(Learner l) {
                events.add("afterLoss");
            }

            @Override
            public void beforeBackward(Learner l) {
                events.add("beforeBackward");
            }

            @Override
            public void afterBackward(Learner l) {
                events.add("afterBackward");
            }

            @Override
            public void beforeStep(Learner l) {
                events.add("beforeStep");
            }

            @Override
            public void afterStep(Learner l) {
                events.add("afterStep");
            }

            @Override
            public void afterBatch(Learner l) {
                events.add("afterBatch");
            }
        };
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            CallbackFixtures.learner(dls, log).fit(1, 1e-3);
        }
        assertThat(events.subList(0, 9)).containsExactly("train beforeBatch", "afterPred", "afterLoss",
                "beforeBackward", "afterBackward", "beforeStep", "afterStep", "afterBatch", "train beforeBatch");
        int valid = events.indexOf("valid beforeBatch");
        assertThat(events.subList(valid, valid + 5)).containsExactly("valid beforeBatch", "afterPred", "afterLoss",
                "afterBatch", "valid beforeBatch");
    }

    @Test
    void replacedInputsAndTargetsAreWhatTheModelAndTheLossSee() {
        List<Double> losses = new ArrayList<>();
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            Learner learn = CallbackFixtures.learner(dls,
                    at(0, "beforeBatch", l -> {
                        int n = (int) l.input().size(0);
                        l.setInput(l.input().mul(0));                // zero images: the logits are the bias
                        l.setTarget(Tensor.of(new long[n], n));      // every item class 0
                    }),
                    at(0, "afterLoss", l -> {
                        float[] logits = l.prediction().toFloatArray();
                        assertThat(logits[1] - logits[0]).isEqualTo(logits[logits.length - 1] - logits[logits.length - 2]);
                        losses.add(CallbackFixtures.crossEntropy(logits, 2, new long[logits.length / 2])[0]
                                - l.batchLoss().item());
                        assertThat(l.target().toLongArray()).containsOnly(0L);
                    }));
            learn.fit(1, 1e-3);
        }
        assertThat(losses).hasSize(10).allSatisfy(d -> assertThat(d).isCloseTo(0.0, within(1e-6)));
    }

    @Test
    void aReplacedValidationLossIsTheRecordedOneAndItsItemsAreTheTopLosses() {
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            // a zero prediction scores ln 2 against either class: the validation loss follows the replacement
            Learner learn = CallbackFixtures.learner(dls, at(0, "afterPred", l -> {
                if (!l.training()) {
                    l.setPrediction(l.prediction().mul(0));
                }
            }));
            learn.fit(1, 1e-3);
            assertThat(learn.recorder().lastEpoch().validLoss()).isCloseTo(Math.log(2), within(1e-6));
            assertThat(learn.recorder().lastPredictions().losses()).hasSize(20);
        }
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            // one loss per item: item k of each batch scores k
            Learner learn = CallbackFixtures.learner(dls, at(0, "afterLoss", l -> {
                if (!l.training()) {
                    int n = (int) l.target().size(0);
                    l.setBatchLoss(Tensor.arange(n).toFloat());
                }
            }));
            learn.fit(1, 1e-3);
            float[] items = learn.recorder().lastPredictions().losses();
            // batches of 8, 8 and 4 items
            assertThat(items).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3);
            assertThat(learn.recorder().lastEpoch().validLoss()).isCloseTo(62.0 / 20, within(1e-6));
        }
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            // one number for a whole batch counts for each of its items
            Learner learn = CallbackFixtures.learner(dls, at(0, "afterLoss", l -> {
                if (!l.training()) {
                    l.setBatchLoss(Tensor.full(l.iter() + 1, new long[0]));
                }
            }));
            learn.fit(1, 1e-3);
            assertThat(learn.recorder().lastEpoch().validLoss()).isCloseTo((8 * 1 + 8 * 2 + 4 * 3) / 20.0, within(1e-6));
        }
    }

    @Test
    void aSetterAtTheWrongMomentOrWithTheWrongShapeSaysWhatToDo() {
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            Learner late = CallbackFixtures.learner(dls, at(0, "afterPred", l -> l.setInput(l.input())));
            assertThatThrownBy(() -> late.fit(1, 1e-3)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("setInput can only be called in beforeBatch, not in afterPred")
                    .hasMessageContaining("move the call to the callback's beforeBatch method");
        }
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            Learner afterStep = CallbackFixtures.learner(dls, at(0, "afterStep", l -> l.setBatchLoss(l.batchLoss())));
            assertThatThrownBy(() -> afterStep.fit(1, 1e-3)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("setBatchLoss can only be called in afterLoss or beforeBackward");
        }
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            Learner perItem = CallbackFixtures.learner(dls, at(0, "afterLoss", l -> {
                if (l.training()) {
                    l.setBatchLoss(l.lossPerItem(l.prediction(), l.target()));
                }
            }));
            assertThatThrownBy(() -> perItem.fit(1, 1e-3)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("a training batch's loss must be one number").hasMessageContaining("[8]");
        }
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            Learner constant = CallbackFixtures.learner(dls, at(0, "afterLoss", l -> l.setBatchLoss(Tensor.full(1, 1))));
            assertThatThrownBy(() -> constant.fit(1, 1e-3)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("has no gradient to the model's weights");
        }
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            Learner outside = CallbackFixtures.learner(dls);
            assertThat(outside.input()).isNull();
            try (StepScope scope = StepScope.open()) {
                assertThatThrownBy(() -> outside.setTarget(Tensor.zeros(8))).isInstanceOf(KodiakException.class)
                        .hasMessage("setTarget can only be called in beforeBatch (the batch is read at fixed points of "
                                + "the loop): move the call to the callback's beforeBatch method");
            }
        }
    }
}
