package dev.kodiak.vision.transforms;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Rng;
import dev.kodiak.vision.RgbImage;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResizeTest {
    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;

    static RgbImage image(int w, int h, int... packed) {
        byte[] pixels = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            pixels[i * 3] = (byte) (packed[i] >> 16);
            pixels[i * 3 + 1] = (byte) (packed[i] >> 8);
            pixels[i * 3 + 2] = (byte) packed[i];
        }
        return new RgbImage(w, h, pixels);
    }

    static int[] row(RgbImage image, int y) {
        int[] out = new int[image.width()];
        for (int x = 0; x < image.width(); x++) {
            out[x] = image.get(x, y, 0) << 16 | image.get(x, y, 1) << 8 | image.get(x, y, 2);
        }
        return out;
    }

    private static Rng rng(long seed) {
        return Rng.of(seed, 0, 0);
    }

    /** Bilinear with aligned pixel centres: output centres fall at -0.25, 0.25, 0.75, 1.25 source pixels. */
    @Test
    void squishingTwoPixelsToFourByFourInterpolates() {
        RgbImage out = Resize.to(4).method(ResizeMethod.SQUISH).apply(image(2, 1, RED, BLUE), rng(1), true);
        int[] expected = {0xFF0000, 0xBF0040, 0x4000BF, 0x0000FF};
        for (int y = 0; y < 4; y++) {
            assertThat(row(out, y)).as("row %d", y).containsExactly(expected);
        }
    }

    @Test
    void paddingWithZerosLeavesTheTopAndBottomRowsBlack() {
        RgbImage out = Resize.to(4).method(ResizeMethod.PAD).padMode(PadMode.ZEROS)
                .apply(image(2, 1, RED, BLUE), rng(1), false);
        int[] image = {0xFF0000, 0xBF0040, 0x4000BF, 0x0000FF}; // the 2x1 image scaled to 4x2
        assertThat(row(out, 0)).containsExactly(0, 0, 0, 0);
        assertThat(row(out, 1)).containsExactly(image);
        assertThat(row(out, 2)).containsExactly(image);
        assertThat(row(out, 3)).containsExactly(0, 0, 0, 0);
    }

    @Test
    void paddingWithReflectionMirrorsWithoutRepeatingTheEdge() {
        // 2 wide, 4 high (red column, blue column) into 4x4: scale 1, one padding column each side.
        RgbImage tall = image(2, 4, RED, BLUE, RED, BLUE, RED, BLUE, RED, BLUE);
        RgbImage out = Resize.to(4).method(ResizeMethod.PAD).apply(tall, rng(1), false);
        for (int y = 0; y < 4; y++) {
            assertThat(row(out, y)).containsExactly(BLUE, RED, BLUE, RED);
        }
        assertThat(Resize.to(4).method(ResizeMethod.PAD).padMode(PadMode.BORDER).apply(tall, rng(1), false))
                .satisfies(o -> assertThat(row(o, 0)).containsExactly(RED, RED, BLUE, BLUE));
    }

    @Test
    void reflectionIndexesBounceBetweenTheEnds() {
        int[] got = new int[9];
        for (int i = -3; i <= 5; i++) {
            got[i + 3] = PadMode.REFLECTION.sourceIndex(i, 3);
        }
        assertThat(got).containsExactly(1, 2, 1, 0, 1, 2, 1, 0, 1);
        assertThat(PadMode.REFLECTION.sourceIndex(-7, 1)).isZero();
        assertThat(PadMode.ZEROS.sourceIndex(-1, 3)).isEqualTo(-1);
        assertThat(PadMode.BORDER.sourceIndex(9, 3)).isEqualTo(2);
    }

    @Test
    void paddingInTrainingPlacesTheImageAtRandom() {
        RgbImage wide = image(4, 1, RED, RED, RED, RED);
        Set<String> placements = new HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            RgbImage out = Resize.to(8).method(ResizeMethod.PAD).padMode(PadMode.ZEROS).apply(wide, rng(seed), true);
            StringBuilder column = new StringBuilder();
            for (int y = 0; y < 8; y++) {
                column.append(out.get(0, y, 0) > 0 ? '#' : '.');
            }
            placements.add(column.toString());
        }
        // The 8x2 image can start on rows 0..6; all of them show up in 30 draws.
        assertThat(placements).hasSize(7).allMatch(c -> c.replace(".", "").equals("##"));
    }

    @Test
    void squishingFourByFourToTwoByTwoAveragesEachBlock() {
        int[] px = new int[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                px[y * 4 + x] = (10 * (y * 4 + x)) << 16 | (x < 2 ? 0 : 255) << 8 | (x == 0 && y == 0 ? 255 : 0);
            }
        }
        RgbImage out = Resize.to(2).method(ResizeMethod.SQUISH).apply(image(4, 4, px), rng(1), true);
        // red: means of {0,10,40,50}=25, {20,30,60,70}=45, {80,90,120,130}=105, {100,110,140,150}=125
        // green: 0 on the left, 255 on the right; blue: one 255 in the top-left block → 63.75, rounds to 64
        assertThat(row(out, 0)).containsExactly(25 << 16 | 64, 45 << 16 | 0xFF00);
        assertThat(row(out, 1)).containsExactly(105 << 16, 125 << 16 | 0xFF00);
    }

    @Test
    void validationCropIsCentredAndDeterministic() {
        // 6x4, column x has red 40·x: the centred 4x4 square is columns 1..4, averaged in pairs.
        int[] px = new int[24];
        for (int i = 0; i < 24; i++) {
            px[i] = 40 * (i % 6) << 16;
        }
        RgbImage source = image(6, 4, px);
        RgbImage a = Resize.to(2).apply(source, rng(1), false);
        RgbImage b = Resize.to(2).apply(source, rng(2), false);
        assertThat(row(a, 0)).containsExactly(60 << 16, 140 << 16);
        assertThat(row(a, 1)).containsExactly(60 << 16, 140 << 16);
        assertThat(b.pixels()).isEqualTo(a.pixels());
    }

    @Test
    void trainingCropDependsOnlyOnTheRng() {
        int[] px = new int[64 * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i % 64) * 4 << 16 | (i / 64) * 16;
        }
        RgbImage source = image(64, 16, px);
        Resize resize = Resize.to(16);
        assertThat(resize.apply(source, rng(7), true).pixels()).isEqualTo(resize.apply(source, rng(7), true).pixels());
        Set<Integer> leftColumns = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            leftColumns.add(resize.apply(source, rng(seed), true).get(0, 0, 0) / 4);
        }
        assertThat(leftColumns).hasSizeGreaterThan(10).allMatch(x -> x >= 0 && x <= 48);
    }

    @Test
    void outputSizeIsAlwaysExact() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 300; i++) {
            int w = 1 + random.nextInt(60);
            int h = 1 + random.nextInt(60);
            int th = 1 + random.nextInt(40);
            int tw = 1 + random.nextInt(40);
            RgbImage source = RgbImage.blank(w, h);
            for (ResizeMethod method : ResizeMethod.values()) {
                for (PadMode mode : PadMode.values()) {
                    for (boolean training : new boolean[] {true, false}) {
                        RgbImage out = Resize.to(th, tw).method(method).padMode(mode).apply(source, rng(i), training);
                        assertThat(out.width()).isEqualTo(tw);
                        assertThat(out.height()).isEqualTo(th);
                    }
                }
            }
            RgbImage out = RandomResizedCrop.of(th, tw, 0.08).apply(source, rng(i), i % 2 == 0);
            assertThat(out.width()).isEqualTo(tw);
            assertThat(out.height()).isEqualTo(th);
        }
    }

    @Test
    void describesItself() {
        assertThat(Resize.to(128).describe()).isEqualTo("Resize(128x128, crop)");
        assertThat(Resize.to(128).method(ResizeMethod.PAD).padMode(PadMode.ZEROS).describe())
                .isEqualTo("Resize(128x128, pad zeros)");
        assertThat(Resize.to(96, 128).method(ResizeMethod.SQUISH).describe())
                .isEqualTo("Resize(height 96, width 128, squish)");
        assertThat(Resize.to(64).method(ResizeMethod.PAD).describe()).isEqualTo("Resize(64x64, pad reflection)");
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> Resize.to(0)).isInstanceOf(KodiakException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> Resize.to(8).method(null)).isInstanceOf(KodiakException.class);
    }
}
