package dev.kodiak.vision.transforms;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import dev.kodiak.vision.Resampler;
import dev.kodiak.vision.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomResizedCropTest {
    private static RgbImage gradient(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                px[i] = (byte) (x * 255 / Math.max(1, w - 1));
                px[i + 1] = (byte) (y * 255 / Math.max(1, h - 1));
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void sameRngSameCropDifferentRngsDiffer() {
        RgbImage source = gradient(60, 40);
        RandomResizedCrop crop = RandomResizedCrop.of(16);
        assertThat(crop.apply(source, Rng.of(5, 1, 3), true).pixels())
                .isEqualTo(crop.apply(source, Rng.of(5, 1, 3), true).pixels());
        Set<String> distinct = new HashSet<>();
        for (int seed = 0; seed < 10; seed++) {
            distinct.add(java.util.Arrays.toString(crop.apply(source, Rng.of(seed, 0, 0), true).pixels()));
        }
        assertThat(distinct).hasSize(10);
    }

    @Test
    void validationIsTheCentredCropOfResize() {
        RgbImage source = gradient(60, 40);
        RgbImage valid = RandomResizedCrop.of(16, 0.3).apply(source, Rng.of(1, 0, 0), false);
        assertThat(valid.pixels()).isEqualTo(Resize.to(16).apply(source, Rng.of(2, 0, 0), false).pixels());
        assertThat(valid.pixels()).isEqualTo(Resampler.resizeRegion(source, 10, 0, 40, 40, 16, 16).pixels());
    }

    /** 100x10 with minScale 1: every draw is ~30 px tall, never fits, so the 13x10 centred crop (ratio 4/3). */
    @Test
    void fallsBackToACentredCropWhenNoDrawFits() {
        RgbImage source = gradient(100, 10);
        RgbImage out = RandomResizedCrop.of(8, 1.0).apply(source, Rng.of(3, 0, 0), true);
        assertThat(out.pixels()).isEqualTo(Resampler.resizeRegion(source, 43, 0, 13, 10, 8, 8).pixels());
    }

    @Test
    void fullScaleCropsOfASquareImageKeepMostOfIt() {
        RgbImage source = gradient(40, 40);
        RgbImage out = RandomResizedCrop.of(40, 1.0).apply(source, Rng.of(9, 0, 0), true);
        // area fraction 1 with ratio in [3/4, 4/3]: the crop spans at least 35 of 40 px one way, all of it the other
        assertThat(out.width()).isEqualTo(40);
        assertThat(out.get(39, 39, 0) - out.get(0, 0, 0) + out.get(39, 39, 1) - out.get(0, 0, 1)).isGreaterThan(400);
    }

    @Test
    void describesAndValidates() {
        assertThat(RandomResizedCrop.of(128).describe()).isEqualTo("RandomResizedCrop(128x128, minScale 0.08)");
        assertThat(RandomResizedCrop.of(128, 0.35).minScale()).isEqualTo(0.35);
        assertThatThrownBy(() -> RandomResizedCrop.of(128, 0)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("minScale");
        assertThatThrownBy(() -> RandomResizedCrop.of(128, 1.5)).isInstanceOf(KodiakException.class);
    }
}
