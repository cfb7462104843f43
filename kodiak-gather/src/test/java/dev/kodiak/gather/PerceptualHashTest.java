package dev.kodiak.gather;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.RgbImage;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PerceptualHashTest {
    private static RgbImage decode(byte[] bytes) {
        return ImageDecoder.standard().decode(bytes, "test");
    }

    @Test
    void theBitsOfAKnownImage() {
        // Each row: bright, bright, dark, dark, ... a fall in brightness only between columns 4 and 5 (of 9).
        byte[] pixels = new byte[9 * 8 * 3];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 9; x++) {
                byte v = (byte) (x < 5 ? 200 : 50);
                int i = (y * 9 + x) * 3;
                pixels[i] = v;
                pixels[i + 1] = v;
                pixels[i + 2] = v;
            }
        }
        long hash = PerceptualHash.of(new RgbImage(9, 8, pixels));
        assertThat(Long.bitCount(hash)).isEqualTo(8);
        assertThat(hash).isEqualTo(0x0808080808080808L); // bit 4 of every 8-bit row (pair 4→5), rows top first
    }

    @Test
    void resizedAndReencodedCopiesAreNearAndDifferentPicturesAreFar() {
        BufferedImage a = Pictures.picture(64, 48, 1);
        long original = PerceptualHash.of(decode(Pictures.png(a)));
        long copy = PerceptualHash.of(decode(Pictures.jpeg(Pictures.resized(a, 50, 40), 0.8f)));
        assertThat(PerceptualHash.distance(original, copy)).isLessThanOrEqualTo(PerceptualHash.DEFAULT_THRESHOLD);
        for (long seed = 2; seed < 12; seed++) {
            long other = PerceptualHash.of(decode(Pictures.png(Pictures.picture(64, 48, seed))));
            assertThat(PerceptualHash.distance(original, other)).as("seed " + seed)
                    .isGreaterThan(2 * PerceptualHash.DEFAULT_THRESHOLD);
        }
        assertThat(PerceptualHash.distance(0L, -1L)).isEqualTo(64);
        assertThat(PerceptualHash.distance(original, original)).isZero();
    }
}
