package dev.kodiak.learn.callbacks;

import static dev.kodiak.learn.callbacks.CallbackFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.Learner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientAccumulationTest {
    @TempDir
    Path dir;

    @BeforeEach
    void data() throws IOException {
        CallbackFixtures.writeImages(dir, 128); // 192 train items, 64 valid
    }

    private float[] trained(int bs, int accumulate, List<Double> lossesSeen) {
        try (var dls = CallbackFixtures.dls(dir, bs)) {
            Learner learn = accumulate > 1
                    ? CallbackFixtures.learner(dls, new GradientAccumulation(accumulate),
                            at(1, "afterLoss", l -> {
                                if (l.training()) {
                                    lossesSeen.add((double) l.batchLoss().item());
                                }
                            }))
                    : CallbackFixtures.learner(dls);
            learn.fit(2, 1e-3); // constant learning rate
            if (accumulate > 1) {
                // the recorder keeps each batch's own loss, not the scaled one the backward pass used
                assertThat(learn.recorder().losses()).hasSize(lossesSeen.size());
                for (int i = 0; i < lossesSeen.size(); i++) {
                    assertThat(learn.recorder().losses().get(i)).isEqualTo(lossesSeen.get(i));
                }
            }
            return CallbackFixtures.weights(learn);
        }
    }

    @Test
    void fourBatchesOfSixteenStepLikeOneBatchOfSixtyFour() {
        float[] initial;
        try (var dls = CallbackFixtures.dls(dir, 64)) {
            initial = CallbackFixtures.weights(CallbackFixtures.learner(dls));
        }
        float[] big = trained(64, 1, null);                        // 3 batches per epoch: 6 steps
        float[] accumulated = trained(16, 4, new ArrayList<>());  // 12 batches per epoch, a step every 4th: 6 steps
        float[] small = trained(16, 1, null);                      // 12 steps of 16 items
        assertThat(maxDiff(big, initial)).as("the weights moved").isGreaterThan(1e-3);
        assertThat(maxDiff(small, big)).as("plain batches of 16 end elsewhere").isGreaterThan(1e-4);
        assertThat(maxDiff(accumulated, big)).isLessThan(1e-5);
    }

    @Test
    void theLastSmallerGroupOfAnEpochStepsTooWithItsOwnScale() {
        List<Integer> steppedAt = new ArrayList<>();
        List<Double> afterLoss = new ArrayList<>();
        List<Double> differentiated = new ArrayList<>();
        try (var dls = CallbackFixtures.dls(dir, 16)) { // 12 batches: groups of 5, 5 and 2
            Learner learn = CallbackFixtures.learner(dls, new GradientAccumulation(5),
                    at(1, "beforeStep", l -> steppedAt.add(l.iter())), // runs only when the step was not cancelled
                    at(1, "afterLoss", l -> {
                        if (l.training()) {
                            afterLoss.add((double) l.batchLoss().item());
                        }
                    }),
                    at(1, "beforeBackward", l -> differentiated.add((double) l.batchLoss().item())));
            learn.fit(1, 1e-3);
        }
        assertThat(steppedAt).containsExactly(4, 9, 11);
        assertThat(differentiated).hasSize(12);
        for (int i = 0; i < 12; i++) {
            double scale = i < 10 ? 5 : 2;
            assertThat(differentiated.get(i)).as("batch %d", i).isCloseTo(afterLoss.get(i) / scale, within(1e-7));
        }
    }

    @Test
    void refusesLessThanOneBatch() {
        assertThatThrownBy(() -> new GradientAccumulation(0)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("at least 1");
    }

    private static double maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
