package dev.kodiak.learn.callbacks;

import static dev.kodiak.learn.callbacks.CallbackFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.engine.Tensors;
import dev.kodiak.learn.CancelBatchException;
import dev.kodiak.learn.CancelStepException;
import dev.kodiak.learn.Learner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CancelStepTest {
    @TempDir
    Path dir;

    @BeforeEach
    void data() throws IOException {
        CallbackFixtures.writeImages(dir, 40); // 7 training batches of 8
    }

    @Test
    void aCancelledStepLeavesTheWeightsAndKeepsAddingUpTheGradients() {
        List<float[]> perBatch = new ArrayList<>();
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            // each batch's own gradient at the initial weights: read, then the batch is cancelled (no step, grads reset)
            Learner plain = CallbackFixtures.learner(dls,
                    at(0, "afterBackward", l -> perBatch.add(grad(l))),
                    at(1, "afterBackward", l -> {
                        throw new CancelBatchException();
                    }));
            plain.fit(1, 1e-1);
        }
        List<float[]> accumulated = new ArrayList<>();
        List<String> events = new ArrayList<>();
        float[] before;
        float[] after;
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            Learner learn = CallbackFixtures.learner(dls,
                    at(0, "beforeStep", l -> {
                        events.add("beforeStep");
                        throw new CancelStepException();
                    }),
                    at(0, "afterStep", l -> {
                        events.add("afterStep");
                        accumulated.add(grad(l));
                    }),
                    at(0, "afterBatch", l -> {
                        if (l.training()) {
                            events.add("afterBatch");
                        }
                    }));
            before = CallbackFixtures.weights(learn);
            learn.fit(1, 1e-1);
            after = CallbackFixtures.weights(learn);
        }
        assertThat(after).containsExactly(before);
        assertThat(events).hasSize(21).containsSequence("beforeStep", "afterStep", "afterBatch", "beforeStep");
        assertThat(perBatch).hasSize(7);
        assertThat(accumulated).hasSize(7);
        float[] sum = new float[perBatch.get(0).length];
        for (int b = 0; b < 7; b++) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += perBatch.get(b)[i];
            }
            for (int i = 0; i < sum.length; i++) {
                assertThat(accumulated.get(b)[i]).as("batch %d value %d", b, i).isCloseTo(sum[i], within(1e-5f));
            }
        }
        assertThat(maxAbs(accumulated.get(6))).isGreaterThan(3 * maxAbs(perBatch.get(6)) / 7);
    }

    private static float[] grad(Learner learn) {
        return Tensors.toFloats(CallbackFixtures.model(learn).fc.weight().grad());
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }
}
