package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import org.junit.jupiter.api.Test;

import static dev.kodiak.vision.TestImages.rgb;
import static dev.kodiak.vision.TestImages.rgbImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResamplerTest {
    @Test
    void sameSizeIsAnExactCopy() {
        RgbImage image = rgbImage(3, 2, 1, 2, 3, 4, 5, 6);
        RgbImage out = Resampler.resize(image, 3, 2);
        assertThat(out.pixels()).isEqualTo(image.pixels()).isNotSameAs(image.pixels());
    }

    @Test
    void flatColoursStayExactAtAnyScale() {
        byte[] px = new byte[37 * 23 * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) 201;
            px[i + 1] = 7;
            px[i + 2] = (byte) 133;
        }
        RgbImage flat = new RgbImage(37, 23, px);
        for (int[] size : new int[][] {{5, 3}, {11, 50}, {100, 7}, {1, 1}, {37, 22}}) {
            RgbImage out = Resampler.resize(flat, size[0], size[1]);
            for (int y = 0; y < out.height(); y++) {
                for (int x = 0; x < out.width(); x++) {
                    assertThat(rgb(out, x, y)).isEqualTo(201 << 16 | 7 << 8 | 133);
                }
            }
        }
    }

    /** Three to two: output pixel 0 covers input 0 fully and half of input 1 (weights 2/3, 1/3). */
    @Test
    void areaAveragingWeighsPartialCoverage() {
        RgbImage out = Resampler.resize(rgbImage(3, 1, 0x000000, 0x900000, 0xF00000), 2, 1);
        assertThat(out.get(0, 0, 0)).isEqualTo(48);  // (0·1 + 144·0.5) / 1.5
        assertThat(out.get(1, 0, 0)).isEqualTo(208); // (144·0.5 + 240·1) / 1.5
    }

    @Test
    void regionUsesOnlyItsOwnPixels() {
        RgbImage image = rgbImage(4, 1, 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF);
        RgbImage out = Resampler.resizeRegion(image, 1, 0, 2, 1, 1, 1);
        assertThat(rgb(out, 0, 0)).isEqualTo(0x008080); // mean of green and blue (127.5 rounds up)
        assertThat(Resampler.crop(image, 2, 0, 2, 1).pixels()).containsExactly(0, 0, -1, -1, -1, -1);
    }

    @Test
    void refusesRegionsOutsideTheImage() {
        RgbImage image = RgbImage.blank(4, 4);
        assertThatThrownBy(() -> Resampler.resizeRegion(image, 2, 0, 3, 1, 1, 1)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("not inside the 4x4 image");
        assertThatThrownBy(() -> Resampler.resize(image, 0, 3)).isInstanceOf(KodiakException.class);
    }

    /** The straight-line three-tap pass must give exactly what the general pass gives, edges included. */
    @Test
    void threeTapPassEqualsTheGeneralPass() {
        java.util.Random random = new java.util.Random(11);
        byte[] pixels = new byte[120 * 50 * 3];
        random.nextBytes(pixels);
        RgbImage image = new RgbImage(120, 50, pixels);
        int[][] cases = {{0, 0, 120, 50, 64, 40}, {7, 3, 100, 41, 51, 29}, {0, 0, 3, 5, 2, 7}, {1, 1, 3, 3, 9, 2},
            {5, 0, 115, 50, 115, 25}, {0, 0, 120, 50, 61, 50}, {0, 0, 120, 50, 200, 99}, {2, 2, 117, 47, 59, 24}};
        for (int[] c : cases) {
            RgbImage fast = Resampler.resizeRegion(image, c[0], c[1], c[2], c[3], c[4], c[5], true);
            RgbImage general = Resampler.resizeRegion(image, c[0], c[1], c[2], c[3], c[4], c[5], false);
            assertThat(fast.pixels()).as(java.util.Arrays.toString(c)).isEqualTo(general.pixels());
        }
    }
}
