package dev.kodiak.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.data.Batch;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.engine.StepScope;
import dev.kodiak.vision.transforms.Augment;
import dev.kodiak.vision.transforms.Normalize;
import dev.kodiak.vision.transforms.Resize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDataLoadersTest {
    @TempDir
    Path dir;

    private static void png(Path file, int w, int h, Color color) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, w, h);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private void folders() throws IOException {
        for (int i = 0; i < 10; i++) {
            png(dir.resolve("red").resolve("red_" + i + ".png"), 40 + i, 30, Color.RED);
            png(dir.resolve("blue").resolve("blue_" + i + ".png"), 30, 50, Color.BLUE);
        }
    }

    @Test
    void fromFolderDecodesResizesAndNormalizesRealImages() throws IOException {
        folders();
        try (DataLoaders<RgbImage> dls = ImageDataLoaders.fromFolder(dir, 0.2, 42, Resize.to(16),
                Augment.standard(), Normalize.imagenet());
             StepScope scope = StepScope.open()) {
            assertThat(dls.vocab()).containsExactly("blue", "red");
            assertThat(dls.valid().size()).isEqualTo(4);
            Batch b = dls.valid().oneBatch();
            assertThat(b.inputShape()).containsExactly(4, 3, 16, 16);
            float[] x = b.x().toFloatArray();
            long[] y = b.y().toLongArray();
            // a plain red image, normalized with ImageNet stats: red channel (1-0.485)/0.229, green (0-0.456)/0.224
            for (int i = 0; i < b.size(); i++) {
                int base = i * 3 * 256;
                boolean red = y[i] == 1;
                assertThat(x[base]).isCloseTo(red ? (1 - 0.485f) / 0.229f : (0 - 0.485f) / 0.229f, within(1e-4f));
                assertThat(x[base + 256]).isCloseTo((0 - 0.456f) / 0.224f, within(1e-4f));
                assertThat(x[base + 512]).isCloseTo(red ? (0 - 0.406f) / 0.225f : (1 - 0.406f) / 0.225f, within(1e-4f));
            }
        }
    }

    @Test
    void fromNameRegexAndFromNameFuncLabelByFileName() throws IOException {
        folders();
        try (var dls = ImageDataLoaders.fromNameRegex(dir, "^([a-z]+)_\\d+\\.png$", 0.2, 1, Resize.to(8))) {
            assertThat(dls.vocab()).containsExactly("blue", "red");
        }
        try (var dls = ImageDataLoaders.fromNameFunc(dir, p -> p.getFileName().toString().startsWith("r") ? "R" : "B",
                0.2, 1, Resize.to(8))) {
            assertThat(dls.vocab()).containsExactly("B", "R");
        }
    }

    @Test
    void fromCsvReadsFilesAndLabelsFromColumns() throws IOException {
        folders();
        StringBuilder csv = new StringBuilder("name,kind\n");
        for (int i = 0; i < 10; i++) {
            csv.append("red/red_").append(i).append(".png,warm\n");
            csv.append("blue/blue_").append(i).append(".png,cold\n");
        }
        Path file = Files.writeString(dir.resolve("labels.csv"), csv);
        try (var dls = ImageDataLoaders.fromCsv(file, "name", "kind", 0.25, 3, Resize.to(8))) {
            assertThat(dls.vocab()).containsExactly("cold", "warm");
            assertThat(dls.train().size() + dls.valid().size()).isEqualTo(20);
            assertThat(dls.valid().size()).isEqualTo(5);
        }
    }

    @Test
    void showBatchWritesARealPngGridWithNormalizationUndone() throws IOException {
        folders();
        Path png = dir.resolve("batch.png");
        try (var dls = ImageDataLoaders.fromFolder(dir, 0.2, 42, Resize.to(32), Normalize.imagenet())) {
            dls.showBatch(png, 2);
            dls.showUnique(dir.resolve("unique.png"), 2);
        }
        BufferedImage grid = ImageIO.read(png.toFile());
        assertThat(grid.getWidth()).isGreaterThanOrEqualTo(64);
        // some cell must show pure red or pure blue again (denormalized), not the normalized colours
        boolean sawPure = false;
        for (int y = 0; y < grid.getHeight(); y++) {
            for (int x = 0; x < grid.getWidth(); x++) {
                int rgb = grid.getRGB(x, y) & 0xFFFFFF;
                sawPure |= rgb == 0xFF0000 || rgb == 0x0000FF;
            }
        }
        assertThat(sawPure).isTrue();
        assertThat(dir.resolve("unique.png")).exists();
    }
}
