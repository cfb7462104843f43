package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageGridTest {
    @TempDir
    Path dir;

    private static RgbImage flat(int w, int h, int rgb) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) (rgb >> 16);
            px[i + 1] = (byte) (rgb >> 8);
            px[i + 2] = (byte) rgb;
        }
        return new RgbImage(w, h, px);
    }

    private static boolean hasDarkPixel(BufferedImage image, int x0, int y0, int w, int h) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                if ((image.getRGB(x, y) & 0xFF) < 128) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void drawsImagesInRowsWithCaptionsAbove() throws IOException {
        List<RgbImage> images = List.of(flat(128, 128, 0xFF0000), flat(128, 128, 0x00FF00), flat(128, 128, 0x0000FF));
        List<String> captions = List.of("grizzly", "black\n0.93", "a very long caption that cannot possibly fit");
        BufferedImage grid = ImageGrid.render(images, captions, 2, 0);
        // 2 columns, 2 rows; cells 128 wide plus 6 px gaps; two caption lines above each image
        assertThat(grid.getWidth()).isEqualTo(6 + 2 * (128 + 6));
        int captionHeight = (grid.getHeight() - 6) / 2 - 6 - 128;
        assertThat(captionHeight).isBetween(2 * 12, 2 * 24);
        int top = 6 + captionHeight;
        assertThat(grid.getRGB(6 + 64, top + 64) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(grid.getRGB(6 + 134 + 64, top + 64) & 0xFFFFFF).isEqualTo(0x00FF00);
        assertThat(grid.getRGB(6 + 64, top + 6 + 128 + captionHeight + 64) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThat(hasDarkPixel(grid, 6, 6, 128, captionHeight)).as("caption text drawn").isTrue();
        int lineHeight = captionHeight / 2;
        assertThat(hasDarkPixel(grid, 6 + 134, 6 + lineHeight, 128, lineHeight)).as("second caption line").isTrue();
        assertThat(hasDarkPixel(grid, 6, 6 + lineHeight, 128, lineHeight)).as("one-line caption").isFalse();
        // the long caption is shortened: nothing is drawn in the gaps either side of its cell
        int secondRowTop = 6 + captionHeight + 128 + 6;
        assertThat(hasDarkPixel(grid, 0, secondRowTop, 6, captionHeight)).isFalse();
        assertThat(hasDarkPixel(grid, 134, secondRowTop, 6, captionHeight)).isFalse();

        Path png = dir.resolve("out/batch.png");
        ImageGrid.write(images, captions, 2, png);
        RgbImage back = ImageDecoder.standard().decode(png);
        assertThat(back.width()).isEqualTo(grid.getWidth());
        assertThat(TestImages.rgb(back, 6 + 64, top + 64)).isEqualTo(0xFF0000);
        try (var files = Files.list(png.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("batch.png"); // no temp file left
        }
    }

    @Test
    void ellipsizesToTheWidth() {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics metrics = g.getFontMetrics();
        g.dispose();
        String shortText = ImageGrid.ellipsize("grizzly", metrics, 128);
        assertThat(shortText).isEqualTo("grizzly");
        String cut = ImageGrid.ellipsize("predicted grizzly / actual black / loss 4.21 / probability 0.98", metrics,
                128);
        assertThat(cut).endsWith("…").startsWith("predicted");
        assertThat(metrics.stringWidth(cut)).isLessThanOrEqualTo(128);
        assertThat(metrics.stringWidth(cut.substring(0, cut.length() - 1) + "xx…")).isGreaterThan(128 - 12);
    }

    @Test
    void scalesImagesIntoAGivenCellSize() {
        BufferedImage grid = ImageGrid.render(List.of(flat(200, 100, 0x00FF00)), List.of(), 4, 64);
        assertThat(grid.getWidth()).isEqualTo(6 + 64 + 6);
        assertThat(grid.getHeight()).isEqualTo(6 + 32 + 6); // no captions, image scaled to 64x32
        assertThat(grid.getRGB(6 + 32, 6 + 16) & 0xFFFFFF).isEqualTo(0x00FF00);
    }

    @Test
    void refusesMismatchedCaptions() {
        assertThatThrownBy(() -> ImageGrid.render(List.of(flat(4, 4, 0)), List.of("a", "b"), 1, 0))
                .isInstanceOf(KodiakException.class).hasMessageContaining("1 images but 2 captions");
        assertThatThrownBy(() -> ImageGrid.render(List.of(), List.of(), 1, 0)).isInstanceOf(KodiakException.class);
    }
}
