package dev.kodiak.vision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ImagesTest {
    @TempDir
    Path dir;

    @Test
    void pngRoundTripIsExactAndReplacesTheOldFile() throws IOException {
        RgbImage image = ImageDecoder.fromBufferedImage(TestImages.noise(17, 9, 4));
        Path png = dir.resolve("x.png");
        Files.writeString(png, "old");
        Images.writePng(image, png);
        assertThat(ImageDecoder.standard().decode(png).pixels()).isEqualTo(image.pixels());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(png);
        }
    }

    @Test
    void jpegIsWrittenAndReadable() {
        RgbImage image = ImageDecoder.fromBufferedImage(TestImages.quadrants(32, 32));
        Path jpg = dir.resolve("sub/x.jpg");
        Images.writeJpeg(image, jpg, 0.9);
        RgbImage back = ImageDecoder.standard().decode(jpg);
        assertThat(TestImages.near(back, 4, 4, TestImages.RED, 40)).isTrue();
    }

    @Test
    void convertsAnyBufferedImageLayout() {
        BufferedImage quad = TestImages.quadrants(8, 8);
        // a sub-image: its raster starts inside a larger array
        assertThat(TestImages.rgb(ImageDecoder.fromBufferedImage(quad.getSubimage(4, 0, 4, 4)), 1, 1))
                .isEqualTo(TestImages.GREEN);
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_BGR,
            BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_ARGB_PRE, BufferedImage.TYPE_USHORT_565_RGB}) {
            BufferedImage copy = new BufferedImage(8, 8, type);
            copy.createGraphics().drawImage(quad, 0, 0, null);
            RgbImage rgb = ImageDecoder.fromBufferedImage(copy.getSubimage(0, 4, 8, 4));
            assertThat(TestImages.rgb(rgb, 1, 1)).as("type %d", type).isEqualTo(TestImages.BLUE);
            assertThat(TestImages.rgb(rgb, 6, 1)).as("type %d", type).isEqualTo(TestImages.WHITE);
        }
        RgbImage image = ImageDecoder.fromBufferedImage(quad);
        assertThat(ImageDecoder.fromBufferedImage(ImageDecoder.toBufferedImage(image)).pixels())
                .isEqualTo(image.pixels());
    }
}
