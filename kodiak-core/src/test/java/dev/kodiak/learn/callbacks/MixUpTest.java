package dev.kodiak.learn.callbacks;

import static dev.kodiak.learn.callbacks.CallbackFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import dev.kodiak.learn.Learner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixUpTest {
    private static final float[] LAMBDAS = {0.9f, 0.8f, 0.7f, 0.6f, 0.55f, 0.95f, 1.0f, 0.5f};
    private static final long[] PARTNERS = {7, 6, 5, 4, 3, 2, 1, 0};

    @TempDir
    Path dir;

    @BeforeEach
    void data() throws IOException {
        CallbackFixtures.writeImages(dir, 40); // 60 train (7 batches of 8), 20 valid
    }

    @Test
    void blendsEachTrainingItemWithItsPartnerAndTheLossIsTheSameBlendOfBothTargetsLosses() {
        List<float[]> before = new ArrayList<>();
        List<long[]> targets = new ArrayList<>();
        List<float[]> mixed = new ArrayList<>();
        List<float[]> logits = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Boolean> validationUntouched = new ArrayList<>();
        MixUp mixUp = new MixUp(0.4, (learn, n) -> new Mixing(LAMBDAS, PARTNERS));
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            Learner learn = CallbackFixtures.learner(dls, mixUp,
                    at(-1, "beforeBatch", l -> {
                        before.add(l.input().toFloatArray());
                        targets.add(l.target().toLongArray());
                    }),
                    at(1, "beforeBatch", l -> {
                        if (l.training()) {
                            mixed.add(l.input().toFloatArray());
                        } else {
                            validationUntouched.add(java.util.Arrays.equals(l.input().toFloatArray(),
                                    before.get(before.size() - 1)));
                        }
                    }),
                    at(1, "afterLoss", l -> {
                        if (l.training()) {
                            logits.add(l.prediction().toFloatArray());
                            losses.add((double) l.batchLoss().item());
                        }
                    }));
            learn.fit(1, 1e-2);

            assertThat(mixed).hasSize(7);
            int perItem = 3 * 8 * 8;
            for (int b = 0; b < 7; b++) {
                float[] x = before.get(b);
                float[] m = mixed.get(b);
                for (int i = 0; i < 8; i++) {
                    for (int k = 0; k < perItem; k++) {
                        double expected = LAMBDAS[i] * x[i * perItem + k] + (1 - LAMBDAS[i]) * x[(int) PARTNERS[i] * perItem + k];
                        assertThat((double) m[i * perItem + k]).as("batch %d item %d value %d", b, i, k)
                                .isCloseTo(expected, within(1e-6));
                    }
                }
                long[] y = targets.get(b);
                long[] partnerY = new long[8];
                for (int i = 0; i < 8; i++) {
                    partnerY[i] = y[(int) PARTNERS[i]];
                }
                double[] own = CallbackFixtures.crossEntropy(logits.get(b), 2, y);
                double[] partner = CallbackFixtures.crossEntropy(logits.get(b), 2, partnerY);
                double blend = 0;
                for (int i = 0; i < 8; i++) {
                    blend += LAMBDAS[i] * own[i] + (1 - LAMBDAS[i]) * partner[i];
                }
                blend /= 8;
                assertThat(losses.get(b)).as("batch %d loss", b).isCloseTo(blend, within(1e-5));
                // what the recorder keeps is the blended loss, the one the backward pass used
                assertThat(learn.recorder().losses().get(b)).isCloseTo(blend, within(1e-5));
            }
            assertThat(validationUntouched).hasSize(3).containsOnly(true);
            // validation: the plain loss of the plain batches, as a separate pass computes it
            assertThat(learn.recorder().lastEpoch().validLoss()).isCloseTo(learn.validate().loss(), within(1e-6));
        }
    }

    @Test
    void drawsRepeatForTheSameSeedEpochAndBatchAndFollowFastaisBeta() {
        Mixing a = Mixing.draw(Rng.of(7, "mixup/train", 0, 3), 0.4, 64);
        Mixing again = Mixing.draw(Rng.of(7, "mixup/train", 0, 3), 0.4, 64);
        Mixing next = Mixing.draw(Rng.of(7, "mixup/train", 0, 4), 0.4, 64);
        assertThat(again.lambdas()).containsExactly(a.lambdas());
        assertThat(again.permutation()).containsExactly(a.permutation());
        assertThat(next.lambdas()).isNotEqualTo(a.lambdas());
        assertThat(a.permutation()).containsExactlyInAnyOrder(java.util.stream.LongStream.range(0, 64).toArray());
        for (float l : a.lambdas()) {
            assertThat(l).isBetween(0.5f, 1f); // max(λ, 1 − λ)
        }
        // Beta(α, α): mean 1/2, variance 1 / (4 (2α + 1))
        Rng rng = Rng.of(1, 0, 0);
        int n = 40_000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            double v = Draws.beta(rng, 0.4);
            assertThat(v).isBetween(0.0, 1.0);
            sum += v;
            sq += v * v;
        }
        double mean = sum / n;
        assertThat(mean).isCloseTo(0.5, within(0.01));
        assertThat(sq / n - mean * mean).isCloseTo(1 / (4 * 1.8), within(0.005));
        double sum3 = 0;
        for (int i = 0; i < n; i++) {
            sum3 += Draws.beta(rng, 3);
        }
        assertThat(sum3 / n).isCloseTo(0.5, within(0.01));
    }

    @Test
    void refusesANonPositiveAlpha() {
        assertThatThrownBy(() -> new MixUp(0)).isInstanceOf(KodiakException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new MixUp(Double.NaN)).isInstanceOf(KodiakException.class);
    }
}
