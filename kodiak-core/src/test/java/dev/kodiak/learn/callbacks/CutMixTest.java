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

class CutMixTest {
    private static final long[] PARTNERS = {3, 0, 1, 2, 7, 6, 5, 4};

    @TempDir
    Path dir;

    @BeforeEach
    void data() throws IOException {
        CallbackFixtures.writeImages(dir, 40);
    }

    @Test
    void pastesExactlyTheClippedBoxFromThePartnerAndWeighsTheLossesByTheShareOfOwnPixels() {
        // λ 0.75 asks for a 4×4 box; centred at column 1, row 7 of the 8×8 image it is clipped to columns 0-2, rows 5-7
        CutMix cutMix = new CutMix(1.0, (learn, n, w, h) -> new Cut(0.75, 1, 7, PARTNERS));
        List<float[]> before = new ArrayList<>();
        List<long[]> targets = new ArrayList<>();
        List<float[]> mixed = new ArrayList<>();
        List<float[]> logits = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        try (var dls = CallbackFixtures.dls(dir, 8)) {
            Learner learn = CallbackFixtures.learner(dls, cutMix,
                    at(-1, "beforeBatch", l -> {
                        if (l.training()) {
                            before.add(l.input().toFloatArray());
                            targets.add(l.target().toLongArray());
                        }
                    }),
                    at(1, "beforeBatch", l -> {
                        if (l.training()) {
                            mixed.add(l.input().toFloatArray());
                        }
                    }),
                    at(1, "afterLoss", l -> {
                        if (l.training()) {
                            logits.add(l.prediction().toFloatArray());
                            losses.add((double) l.batchLoss().item());
                        }
                    }));
            learn.fit(1, 1e-2);
        }
        CutBox box = cutMix.lastBox();
        assertThat(List.of(box.x1(), box.y1(), box.x2(), box.y2())).containsExactly(0, 5, 3, 8);
        double lambda = 1 - 9.0 / 64;
        assertThat(box.lambda()).isEqualTo(lambda);
        assertThat(mixed).hasSize(7);
        int side = CallbackFixtures.SIDE;
        int perItem = 3 * side * side;
        for (int b = 0; b < 7; b++) {
            float[] x = before.get(b);
            float[] m = mixed.get(b);
            for (int i = 0; i < 8; i++) {
                int partner = (int) PARTNERS[i];
                for (int c = 0; c < 3; c++) {
                    for (int row = 0; row < side; row++) {
                        for (int col = 0; col < side; col++) {
                            int k = c * side * side + row * side + col;
                            boolean inBox = col < 3 && row >= 5;
                            float expected = inBox ? x[partner * perItem + k] : x[i * perItem + k];
                            assertThat(m[i * perItem + k]).as("batch %d item %d channel %d row %d column %d", b, i, c,
                                    row, col).isEqualTo(expected);
                        }
                    }
                }
            }
            long[] y = targets.get(b);
            long[] partnerY = new long[8];
            for (int i = 0; i < 8; i++) {
                partnerY[i] = y[(int) PARTNERS[i]];
            }
            double[] own = CallbackFixtures.crossEntropy(logits.get(b), 2, y);
            double[] other = CallbackFixtures.crossEntropy(logits.get(b), 2, partnerY);
            double blend = 0;
            for (int i = 0; i < 8; i++) {
                blend += lambda * own[i] + (1 - lambda) * other[i];
            }
            assertThat(losses.get(b)).as("batch %d loss", b).isCloseTo(blend / 8, within(1e-5));
        }
    }

    @Test
    void aBoxInsideTheImageCoversOneMinusLambdaOfIt() {
        CutBox inside = CutBox.around(8, 8, 0.75, 4, 4);
        assertThat(List.of(inside.x1(), inside.y1(), inside.x2(), inside.y2())).containsExactly(2, 2, 6, 6);
        assertThat(inside.lambda()).isEqualTo(0.75);
        assertThat(CutBox.around(10, 6, 1.0, 3, 3).area()).isZero();
        assertThat(CutBox.around(10, 6, 0.0, 5, 3).lambda()).isEqualTo(0.0);
        Cut cut = Cut.draw(Rng.of(7, 0, 0), 1.0, 16, 10, 6);
        assertThat(cut.cx()).isBetween(0, 9);
        assertThat(cut.cy()).isBetween(0, 5);
        assertThat(Cut.draw(Rng.of(7, 0, 0), 1.0, 16, 10, 6)).usingRecursiveComparison().isEqualTo(cut);
    }

    @Test
    void refusesANonPositiveAlpha() {
        assertThatThrownBy(() -> new CutMix(-1)).isInstanceOf(KodiakException.class).hasMessageContaining("positive");
    }
}
