package dev.kodiak.vision.transforms;

import static dev.kodiak.vision.transforms.TestImages.floats;
import static dev.kodiak.vision.transforms.TestImages.random;
import static dev.kodiak.vision.transforms.TestImages.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import dev.kodiak.engine.StepScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.MemoryFormat;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class NormalizeTest {
    private static final Rng RNG = Rng.of(1, 0, 0);

    // A [2, 3, 2, 2] batch whose every pixel is ImageNet's mean colour.
    private static Tensor meanColouredBatch() {
        float[] data = new float[2 * 3 * 4];
        float[] mean = {0.485f, 0.456f, 0.406f};
        for (int b = 0; b < 2; b++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 4; p++) {
                    data[(b * 3 + c) * 4 + p] = mean[c];
                }
            }
        }
        return tensor(data, 2, 3, 2, 2);
    }

    @Test
    void anImageOfTheMeanColourBecomesZeroInTrainingAndValidation() {
        try (var scope = StepScope.open()) {
            Normalize normalize = Normalize.imagenet();
            assertThat(floats(normalize.apply(meanColouredBatch(), RNG, true))).containsOnly(0f);
            assertThat(floats(normalize.apply(meanColouredBatch(), RNG, false))).containsOnly(0f);
        }
    }

    @Test
    void eachChannelUsesItsOwnStatistics() {
        try (var scope = StepScope.open()) {
            float[] out = floats(Normalize.imagenet().apply(TestImages.constant(1f, 1, 3, 2, 2), RNG, false));
            assertThat(out[0]).isCloseTo((1 - 0.485f) / 0.229f, within(1e-6f));
            assertThat(out[4]).isCloseTo((1 - 0.456f) / 0.224f, within(1e-6f));
            assertThat(out[8]).isCloseTo((1 - 0.406f) / 0.225f, within(1e-6f));
            assertThat(out[11]).isCloseTo((1 - 0.406f) / 0.225f, within(1e-6f));
        }
    }

    @Test
    void decodeUndoesNormalization() {
        try (var scope = StepScope.open()) {
            Normalize normalize = Normalize.of(new float[] {0.5f, 0.25f, 0.1f}, new float[] {0.2f, 0.3f, 0.7f});
            Tensor x = random(3, 4, 3, 16, 16);
            Tensor normalized = normalize.encode(x); // leaves x alone
            assertThat(floats(normalized)[0]).isNotCloseTo(floats(x)[0], within(1e-3f));
            // the loaders' path normalizes their own batch in place, to the same values
            Tensor batch = x.clone();
            assertThat(floats(normalize.apply(batch, RNG, true))).containsExactly(floats(normalized));
            assertThat(floats(batch)).containsExactly(floats(normalized));
            float[] back = floats(normalize.decode(normalized));
            float[] original = floats(x);
            for (int i = 0; i < original.length; i++) {
                assertThat(back[i]).as("value %d", i).isCloseTo(original[i], within(1e-6f));
            }
        }
    }

    @Test
    void aChannelsLastBatchGetsTheSameValuesAsAnNchwOneAndKeepsItsLayout() {
        try (var scope = StepScope.open()) {
            Normalize normalize = Normalize.of(new float[] {0.5f, 0.25f, 0.1f}, new float[] {0.2f, 0.3f, 0.7f});
            Tensor x = random(9, 2, 3, 5, 7);
            float[] expected = floats(normalize.encode(x));
            Tensor channelsLast = x.contiguous(MemoryFormat.ChannelsLast);

            Tensor copied = normalize.encode(channelsLast);
            assertThat(copied.is_contiguous(MemoryFormat.ChannelsLast)).isTrue();
            assertThat(floats(copied.contiguous())).containsExactly(expected);
            assertThat(floats(channelsLast.contiguous())).as("encode leaves its input alone").containsExactly(floats(x));

            Tensor inPlace = normalize.apply(channelsLast, RNG, true);
            assertThat(inPlace.is_contiguous(MemoryFormat.ChannelsLast)).isTrue();
            assertThat(floats(channelsLast.contiguous())).containsExactly(expected);
        }
    }

    @Test
    void keepsShapeAndType() {
        try (var scope = StepScope.open()) {
            Tensor out = Normalize.imagenet().apply(random(4, 4, 3, 16, 16), RNG, true);
            assertThat(out.shape()).containsExactly(4, 3, 16, 16);
            assertThat(out.scalar_type().intern()).isEqualTo(ScalarType.Float);
        }
    }

    @Test
    void aBatchWithTheWrongNumberOfChannelsIsAClearError() {
        try (var scope = StepScope.open()) {
            Tensor gray = random(5, 2, 1, 8, 8);
            assertThatThrownBy(() -> Normalize.imagenet().apply(gray, RNG, true))
                    .isInstanceOf(KodiakException.class)
                    .hasMessageContaining("[2, 1, 8, 8]")
                    .hasMessageContaining("[B, 3, H, W]");
        }
    }

    @Test
    void statisticsAreValidated() {
        assertThatThrownBy(() -> Normalize.of(new float[] {0.5f, 0.5f}, new float[] {0.2f}))
                .isInstanceOf(KodiakException.class).hasMessageContaining("2 mean value(s) and 1 std value(s)");
        assertThatThrownBy(() -> Normalize.of(new float[] {0.5f}, new float[] {0f}))
                .isInstanceOf(KodiakException.class).hasMessageContaining("std of channel 0 must be positive");
        assertThatThrownBy(() -> Normalize.of(new float[] {0.5f, 0.1f}, new float[] {0.2f, -1f}))
                .isInstanceOf(KodiakException.class).hasMessageContaining("channel 1");
        assertThatThrownBy(() -> Normalize.of(new float[0], new float[0])).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> Normalize.of(new float[] {Float.NaN}, new float[] {1f}))
                .isInstanceOf(KodiakException.class);
    }

    @Test
    void exposesCopiesOfItsStatisticsAndDescribesThem() {
        Normalize normalize = Normalize.imagenet();
        assertThat(normalize.mean()).containsExactly(0.485f, 0.456f, 0.406f);
        assertThat(normalize.std()).containsExactly(0.229f, 0.224f, 0.225f);
        normalize.mean()[0] = 99;
        assertThat(normalize.mean()[0]).isEqualTo(0.485f);
        assertThat(normalize.channels()).isEqualTo(3);
        assertThat(normalize.order()).isEqualTo(100);
        assertThat(normalize.describe()).isEqualTo("Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])");
        assertThat(normalize).isEqualTo(Normalize.of(new float[] {0.485f, 0.456f, 0.406f},
                new float[] {0.229f, 0.224f, 0.225f}));
        float[] mean = {0.1f};
        Normalize own = Normalize.of(mean, new float[] {1f});
        mean[0] = 0.9f;
        assertThat(own.mean()).containsExactly(0.1f);
    }
}
