package dev.kodiak.vision.transforms;

import static dev.kodiak.vision.transforms.TestImages.argmax;
import static dev.kodiak.vision.transforms.TestImages.constant;
import static dev.kodiak.vision.transforms.TestImages.count;
import static dev.kodiak.vision.transforms.TestImages.dot;
import static dev.kodiak.vision.transforms.TestImages.floats;
import static dev.kodiak.vision.transforms.TestImages.max;
import static dev.kodiak.vision.transforms.TestImages.min;
import static dev.kodiak.vision.transforms.TestImages.random;
import static dev.kodiak.vision.transforms.TestImages.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import dev.kodiak.engine.StepScope;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class AugmentTest {
    private static final ItemAugmentation NONE = ItemAugmentation.NONE;

    private static Augment zerosPadding() {
        return Augment.none().toBuilder().padMode(Augment.Padding.ZEROS).build();
    }

    @Test
    void validationBatchesPassThroughUnchanged() {
        try (var scope = StepScope.open()) {
            Tensor x = random(1, 4, 3, 16, 16);
            Tensor out = Augment.standard().apply(x.clone(), Rng.of(42, 0, 7), false);
            assertThat(floats(out)).containsExactly(floats(x));
        }
    }

    @Test
    void noneLeavesTrainingBatchesUnchanged() {
        try (var scope = StepScope.open()) {
            Tensor x = random(2, 4, 3, 16, 16);
            assertThat(floats(Augment.none().apply(x.clone(), Rng.of(42, 0, 7), true))).containsExactly(floats(x));
            assertThat(Augment.none().isNone()).isTrue();
            assertThat(Augment.standard().isNone()).isFalse();
        }
    }

    @Test
    void sameRngGivesTheSameBatchAndAnotherRngAnotherBatch() {
        try (var scope = StepScope.open()) {
            Tensor x = random(3, 4, 3, 16, 16);
            float[] first = floats(Augment.standard().apply(x.clone(), Rng.of(42, 0, 7), true));
            float[] second = floats(Augment.standard().apply(x.clone(), Rng.of(42, 0, 7), true));
            float[] other = floats(Augment.standard().apply(x.clone(), Rng.of(43, 0, 7), true));
            assertThat(second).containsExactly(first);
            assertThat(other).isNotEqualTo(first);
            assertThat(first).isNotEqualTo(floats(x));
        }
    }

    @Test
    void keepsShapeTypeAndTheZeroToOneRange() {
        try (var scope = StepScope.open()) {
            // Extremes included: lighting in logit space must not push 0 or 1 out of range.
            Tensor x = random(4, 8, 3, 16, 16).mul(new Scalar(1.2))
                    .clamp(new ScalarOptional(new Scalar(0.0)),
                            new ScalarOptional(new Scalar(1.0)));
            Augment strong = Augment.builder().maxRotate(45).minZoom(0.7).maxZoom(1.5).maxWarp(0.4).maxLighting(0.8)
                    .pAffine(1).pLighting(1).build();
            for (int seed = 0; seed < 5; seed++) {
                Tensor out = strong.apply(x.clone(), Rng.of(seed, 0, 0), true);
                assertThat(out.shape()).containsExactly(8, 3, 16, 16);
                assertThat(out.scalar_type().intern()).isEqualTo(ScalarType.Float);
                float[] values = floats(out);
                assertThat(min(values)).isGreaterThanOrEqualTo(0f);
                assertThat(max(values)).isLessThanOrEqualTo(1f);
            }
        }
    }

    @Test
    void flipWithProbabilityOneMirrorsEveryImageExactly() {
        try (var scope = StepScope.open()) {
            Tensor x = random(5, 4, 3, 16, 16);
            Augment flipOnly = Augment.none().toBuilder().pFlip(1).build();
            float[] out = floats(flipOnly.apply(x.clone(), Rng.of(42, 0, 7), true));
            assertThat(out).containsExactly(floats(x.flip(3)));
            assertThat(out).isNotEqualTo(floats(x));

            Augment never = Augment.none().toBuilder().flip(true).pFlip(0).build();
            assertThat(floats(never.apply(x.clone(), Rng.of(42, 0, 7), true))).containsExactly(floats(x));
        }
    }

    @Test
    void verticalFlipAlsoMirrorsUpsideDown() {
        try (var scope = StepScope.open()) {
            Tensor x = random(6, 2, 3, 8, 12);
            Augment both = Augment.none().toBuilder().pFlip(1).verticalFlip(true).build();
            assertThat(floats(both.apply(x.clone(), Rng.of(1, 0, 0), true))).containsExactly(floats(x.flip(3).flip(2)));
        }
    }

    @Test
    void flipsOnlyTheChosenItems() {
        try (var scope = StepScope.open()) {
            Tensor x = random(7, 2, 3, 8, 8);
            float[] out = floats(zerosPadding().apply(x.clone(), List.of(NONE.withFlips(true, false), NONE)));
            float[] flipped = floats(x.flip(3));
            float[] original = floats(x);
            int half = original.length / 2;
            assertThat(Arrays.copyOfRange(out, 0, half)).containsExactly(Arrays.copyOfRange(flipped, 0, half));
            assertThat(Arrays.copyOfRange(out, half, out.length))
                    .containsExactly(Arrays.copyOfRange(original, half, original.length));
        }
    }

    @Test
    void rotatingNinetyDegreesTurnsContentCounterClockwise() {
        try (var scope = StepScope.open()) {
            Tensor right = dot(15, 15, 7, 11);  // 4 pixels right of the centre (7, 7)
            float[] left = floats(zerosPadding().apply(right.clone(), List.of(NONE.withRotation(90))));
            assertThat(argmax(left)).isEqualTo(3 * 15 + 7);  // now 4 pixels above the centre
            assertThat(left[3 * 15 + 7]).isCloseTo(1f, within(1e-4f));
            float[] clockwise = floats(zerosPadding().apply(right.clone(), List.of(NONE.withRotation(-90))));
            assertThat(argmax(clockwise)).isEqualTo(11 * 15 + 7);  // 4 pixels below
        }
    }

    @Test
    void aFlippedImageIsRotatedAfterTheFlip() {
        try (var scope = StepScope.open()) {
            Tensor right = dot(15, 15, 7, 11);  // mirrored: 4 pixels left of the centre; turned: 4 pixels below
            float[] out = floats(zerosPadding().apply(right.clone(), List.of(NONE.withFlips(true, false).withRotation(90))));
            assertThat(argmax(out)).isEqualTo(11 * 15 + 7);
            assertThat(out[11 * 15 + 7]).isCloseTo(1f, within(1e-4f));
        }
    }

    @Test
    void rotationIsARotationInPixelsOnNonSquareImages() {
        try (var scope = StepScope.open()) {
            Tensor wide = dot(15, 21, 7, 14);  // 4 pixels right of the centre (7, 10)
            float[] out = floats(zerosPadding().apply(wide.clone(), List.of(NONE.withRotation(90))));
            assertThat(argmax(out)).isEqualTo(3 * 21 + 10);  // 4 pixels above, not 4 * 15/21
            assertThat(out[3 * 21 + 10]).isCloseTo(1f, within(1e-4f));
        }
    }

    @Test
    void zoomingTwiceIntoTheCentreEnlargesASquareFourfold() {
        try (var scope = StepScope.open()) {
            float[] data = new float[16 * 16];
            for (int r = 6; r <= 9; r++) {
                for (int c = 6; c <= 9; c++) {
                    data[r * 16 + c] = 1;
                }
            }
            Tensor square = tensor(data, 1, 1, 16, 16);
            float[] zoomed = floats(zerosPadding().apply(square.clone(), List.of(NONE.withZoom(2, 0.5, 0.5))));
            assertThat(count(data, 0.5f)).isEqualTo(16);
            assertThat(count(zoomed, 0.5f)).isEqualTo(64);
            assertThat(zoomed[7 * 16 + 7]).isEqualTo(1f);
            assertThat(zoomed[0]).isEqualTo(0f);
        }
    }

    @Test
    void horizontalWarpStretchesTheLeftEdgeAndShrinksTheRightOne() {
        try (var scope = StepScope.open()) {
            Tensor ones = constant(1f, 1, 1, 16, 16);
            float[] out = floats(zerosPadding().apply(ones.clone(), List.of(NONE.withWarp(0.2, 0))));
            // The input's right corners now sit inside the output: above and below them is padding.
            assertThat(out[15]).isEqualTo(0f);
            assertThat(out[15 * 16 + 15]).isEqualTo(0f);
            // The left corners moved out of the frame, so the left column is still all image.
            for (int r = 0; r < 16; r++) {
                assertThat(out[r * 16]).as("row %d", r).isCloseTo(1f, within(1e-5f));
            }
            assertThat(out[8 * 16 + 8]).isCloseTo(1f, within(1e-5f));
        }
    }

    @Test
    void warpHomographyMovesTheCornersWhereFastaiPutsThem() {
        double wx = 0.2;
        double wy = -0.1;
        double[] h = AffineWarp.warpHomography(wx, wy);
        double[][] shown = {{-1 - wy, -1 - wx}, {-1 + wy, 1 + wx}, {1 + wy, -1 + wx}, {1 - wy, 1 - wx}};
        double[][] corners = {{-1, -1}, {-1, 1}, {1, -1}, {1, 1}};
        for (int i = 0; i < 4; i++) {
            double x = shown[i][0];
            double y = shown[i][1];
            double w = h[6] * x + h[7] * y + h[8];
            assertThat((h[0] * x + h[1] * y + h[2]) / w).isCloseTo(corners[i][0], within(1e-12));
            assertThat((h[3] * x + h[4] * y + h[5]) / w).isCloseTo(corners[i][1], within(1e-12));
        }
    }

    @Test
    void theSamplingGridMapsEveryPixelThroughItsItemsMatrix() {
        // one affine and one perspective item on a 5x7 image: each grid entry must be T·[x y 1] / w of that
        // pixel's align_corners coordinates, computed here point by point
        double[][] matrices = {{0.9, -0.2, 0.1, 0.15, 1.1, -0.05, 0, 0, 1},
            {1.0, 0.1, 0.0, -0.1, 0.95, 0.02, 0.12, -0.08, 1}};
        long h = 5;
        long w = 7;
        try (StepScope s = StepScope.open()) {
            Tensor x = torch.zeros(2, 3, h, w);
            float[] grid = floats(AffineWarp.samplingGrid(x, matrices, new long[] {2, 3, h, w}, true).contiguous());
            assertThat(grid).hasSize((int) (2 * h * w * 2));
            for (int b = 0; b < 2; b++) {
                double[] t = matrices[b];
                for (int r = 0; r < h; r++) {
                    for (int c = 0; c < w; c++) {
                        double px = -1 + 2.0 * c / (w - 1);
                        double py = -1 + 2.0 * r / (h - 1);
                        double d = t[6] * px + t[7] * py + t[8];
                        int at = (int) (((b * h + r) * w + c) * 2);
                        assertThat((double) grid[at]).isCloseTo((t[0] * px + t[1] * py + t[2]) / d, within(1e-6));
                        assertThat((double) grid[at + 1]).isCloseTo((t[3] * px + t[4] * py + t[5]) / d, within(1e-6));
                    }
                }
            }
        }
    }

    @Test
    void paddingDecidesWhatFillsTheCornersOfARotation() {
        try (var scope = StepScope.open()) {
            Tensor ones = constant(1f, 1, 1, 16, 16);
            List<ItemAugmentation> turn = List.of(NONE.withRotation(45));
            assertThat(floats(zerosPadding().apply(ones.clone(), turn))[0]).isEqualTo(0f);
            Augment reflect = Augment.none().toBuilder().padMode(Augment.Padding.REFLECTION).build();
            Augment border = Augment.none().toBuilder().padMode(Augment.Padding.BORDER).build();
            assertThat(min(floats(reflect.apply(ones.clone(), turn)))).isCloseTo(1f, within(1e-5f));
            assertThat(min(floats(border.apply(ones.clone(), turn)))).isCloseTo(1f, within(1e-5f));
        }
    }

    @Test
    void itemsThatDoNotMoveKeepTheirExactValues() {
        try (var scope = StepScope.open()) {
            Tensor x = random(8, 2, 3, 16, 16);
            float[] out = floats(Augment.standard().apply(x.clone(), List.of(NONE.withRotation(30), NONE)));
            float[] original = floats(x);
            int half = original.length / 2;
            assertThat(Arrays.copyOfRange(out, half, out.length))
                    .containsExactly(Arrays.copyOfRange(original, half, original.length));
            assertThat(Arrays.copyOfRange(out, 0, half)).isNotEqualTo(Arrays.copyOfRange(original, 0, half));
        }
    }

    @Test
    void brightnessAndContrastWorkInLogitSpace() {
        try (var scope = StepScope.open()) {
            Tensor grey = constant(0.3f, 2, 3, 4, 4);
            double logit = Math.log(0.3 / 0.7);
            float[] brighter = floats(zerosPadding().apply(grey.clone(), List.of(NONE.withLighting(0.6, 1), NONE)));
            float expected = (float) sigmoid(logit + Math.log(0.6 / 0.4));  // 0.18 / 0.46
            assertThat(brighter[0]).isCloseTo(expected, within(1e-6f));
            assertThat(brighter[47]).isCloseTo(expected, within(1e-6f));
            assertThat(brighter[48]).isEqualTo(0.3f);  // the second item was not chosen

            float[] contrast = floats(zerosPadding().apply(grey.clone(), List.of(NONE.withLighting(0.5, 1.25), NONE)));
            assertThat(contrast[5]).isCloseTo((float) sigmoid(1.25 * logit), within(1e-6f));

            float[] both = floats(zerosPadding().apply(grey.clone(), List.of(NONE.withLighting(0.4, 0.8), NONE)));
            assertThat(both[0]).isCloseTo((float) sigmoid((logit + Math.log(0.4 / 0.6)) * 0.8), within(1e-6f));
        }
    }

    /**
     * Large items are augmented a few at a time (ItemChunks): five 3x400x400 items make runs of 2, 2 and 1. Each
     * item must come out as it does alone, whatever run it falls in, and the batch is changed in place.
     */
    @Test
    void largeBatchesWorkedInRunsGiveEachItemItsOwnResult() {
        try (var scope = StepScope.open()) {
            Tensor x = random(10, 5, 3, 400, 400);
            assertThat(ItemChunks.itemsPer(x)).isEqualTo(2);
            List<ItemAugmentation> items = List.of(NONE.withRotation(20).withLighting(0.6, 1.2),
                    NONE.withFlips(true, false), NONE.withWarp(0.2, -0.1), NONE,
                    NONE.withZoom(1.3, 0.2, 0.7).withFlips(false, true));
            Tensor batch = x.clone();
            Tensor out = Augment.standard().apply(batch, items);
            assertThat(largestDifference(batch, out)).isZero();
            for (int i = 0; i < items.size(); i++) {
                Tensor alone = Augment.standard().apply(x.narrow(0, i, 1).clone(), List.of(items.get(i)));
                assertThat(largestDifference(out.narrow(0, i, 1), alone)).as("item %d", i).isZero();
            }
            assertThat(largestDifference(out.narrow(0, 3, 1), x.narrow(0, 3, 1))).isZero();
            assertThat(largestDifference(out.narrow(0, 0, 1), x.narrow(0, 0, 1))).isGreaterThan(0.1);
        }
    }

    // AssertJ's containsExactly diffs two arrays element by element first, which takes minutes at this size
    private static double largestDifference(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_double();
    }

    @Test
    void worksOnChannelsLastBatches() {
        try (var scope = StepScope.open()) {
            Tensor x = random(9, 4, 3, 16, 16);
            Tensor channelsLast = x.contiguous(MemoryFormat.ChannelsLast);
            float[] expected = floats(Augment.standard().apply(x.clone(), Rng.of(42, 0, 7), true));
            float[] actual = floats(Augment.standard().apply(channelsLast.clone(), Rng.of(42, 0, 7), true));
            for (int i = 0; i < expected.length; i++) {
                assertThat(actual[i]).as("value %d", i).isCloseTo(expected[i], within(1e-6f));
            }
        }
    }

    @Test
    void drawsFastaiDefaultsPerItem() {
        List<ItemAugmentation> items = Augment.standard().draw(Rng.of(5, 0, 0), 4000);
        assertThat(share(items, ItemAugmentation::flipHorizontal)).isCloseTo(0.5, within(0.03));
        assertThat(share(items, i -> i.rotateDegrees() != 0)).isCloseTo(0.75, within(0.03));
        assertThat(share(items, i -> i.zoom() != 1)).isCloseTo(0.75, within(0.03));
        assertThat(share(items, i -> i.warpX() != 0)).isCloseTo(0.75, within(0.03));
        assertThat(share(items, i -> i.warpY() != 0)).isCloseTo(0.75, within(0.03));
        assertThat(share(items, i -> i.brightness() != 0.5)).isCloseTo(0.75, within(0.03));
        assertThat(share(items, i -> i.contrast() != 1)).isCloseTo(0.75, within(0.03));
        assertThat(share(items, ItemAugmentation::flipVertical)).isZero();
        assertThat(items).allSatisfy(i -> {
            assertThat(i.rotateDegrees()).isBetween(-10.0, 10.0);
            assertThat(i.zoom()).isBetween(1.0, 1.1);
            assertThat(i.warpX()).isBetween(-0.2, 0.2);
            assertThat(i.brightness()).isBetween(0.4, 0.6);
            assertThat(i.contrast()).isBetween(0.8, 1.25);
        });
        // Each item takes a fixed number of draws, so a smaller batch is a prefix of a larger one.
        assertThat(Augment.standard().draw(Rng.of(5, 0, 0), 10)).isEqualTo(items.subList(0, 10));
    }

    @Test
    void builderStartsFromStandardAndValidates() {
        assertThat(Augment.builder().build()).isEqualTo(Augment.standard());
        Augment custom = Augment.builder().flip(true).maxRotate(20).minZoom(0.9).maxZoom(1.2).maxWarp(0.1)
                .pAffine(0.5).maxLighting(0.3).pLighting(0.6).verticalFlip(true).padMode(Augment.Padding.BORDER).build();
        assertThat(custom).isEqualTo(new Augment(0.5, true, 20, 0.9, 1.2, 0.1, 0.5, 0.3, 0.6, Augment.Padding.BORDER));
        assertThat(Augment.builder().flip(false).build().pFlip()).isZero();
        assertThatThrownBy(() -> Augment.builder().maxWarp(1).build())
                .isInstanceOf(KodiakException.class).hasMessageContaining("maxWarp");
        assertThatThrownBy(() -> Augment.builder().pAffine(1.5).build())
                .isInstanceOf(KodiakException.class).hasMessageContaining("pAffine");
        assertThatThrownBy(() -> Augment.builder().minZoom(1.2).maxZoom(1.1).build())
                .isInstanceOf(KodiakException.class).hasMessageContaining("maxZoom");
        assertThatThrownBy(() -> Augment.builder().maxRotate(-1).build()).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> Augment.builder().maxLighting(Double.NaN).build()).isInstanceOf(KodiakException.class);
    }

    @Test
    void rejectsInputsThatAreNotImageBatches() {
        try (var scope = StepScope.open()) {
            Tensor flat = constant(0.5f, 3, 16, 16);
            assertThatThrownBy(() -> Augment.standard().apply(flat, Rng.of(1, 0, 0), true))
                    .isInstanceOf(KodiakException.class).hasMessageContaining("[3, 16, 16]");
        }
    }

    @Test
    void describesItsSettings() {
        assertThat(Augment.standard().describe()).isEqualTo("Augment(training only: flip p=0.5; "
                + "p=0.75 each: warp 0.2, rotate ±10°, zoom 1–1.1; p=0.75 each: brightness 0.2, contrast 0.2; "
                + "padding reflection, one resample per image)");
        assertThat(Augment.none().describe()).isEqualTo("Augment(none)");
        assertThat(Augment.none().toBuilder().pFlip(1).verticalFlip(true).build().describe())
                .isEqualTo("Augment(training only: flip left-right and up-down p=1)");
        assertThat(Augment.standard().order()).isLessThan(Normalize.imagenet().order());
    }

    private static double share(List<ItemAugmentation> items, java.util.function.Predicate<ItemAugmentation> test) {
        return items.stream().filter(test).count() / (double) items.size();
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
