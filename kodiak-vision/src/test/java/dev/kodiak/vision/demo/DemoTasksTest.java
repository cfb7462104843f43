package dev.kodiak.vision.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTasksTest {
    @TempDir
    Path dir;

    /** Three categories of five 32x32 drawings: all black, so the pasted drawing's area is known. */
    private Path clipart() throws IOException {
        Path root = dir.resolve("clipart");
        for (String c : List.of("animals", "flags", "food")) {
            Files.createDirectories(root.resolve(c));
            for (int i = 0; i < 5; i++) {
                BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        img.setRGB(x, y, 0x000000); // the whole tile is the drawing
                    }
                }
                ImageIO.write(img, "png", root.resolve(c).resolve(c + i + ".png").toFile());
            }
        }
        return root;
    }

    @Test
    void regressionTargetsAreTheDrawnSide() throws IOException {
        Path csv = DemoTasks.build(DemoTasks.Kind.REGRESSION, clipart(), dir.resolve("reg"), 20, 7);
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).isEqualTo("file,scale,is_valid");
        assertThat(rows).hasSize(21);
        assertThat(rows.stream().skip(1).filter(r -> r.endsWith(",true"))).hasSize(4);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            double scale = Double.parseDouble(f[1]);
            assertThat(scale).isBetween(DemoTasks.MIN_SCALE - 0.01, DemoTasks.MAX_SCALE + 0.01);
            BufferedImage img = ImageIO.read(dir.resolve("reg").resolve(f[0]).toFile());
            assertThat(img.getWidth()).isEqualTo(DemoTasks.SIZE);
            int dark = 0;
            for (int y = 0; y < DemoTasks.SIZE; y++) {
                for (int x = 0; x < DemoTasks.SIZE; x++) {
                    if ((img.getRGB(x, y) & 0xFF) < 100) {
                        dark++;
                    }
                }
            }
            int side = (int) Math.round(scale * DemoTasks.SIZE);
            assertThat(dark).isEqualTo(side * side);
        }
    }

    @Test
    void multiLabelScenesListTheirCategories() throws IOException {
        Path csv = DemoTasks.build(DemoTasks.Kind.MULTI_LABEL, clipart(), dir.resolve("ml"), 30, 3);
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).isEqualTo("file,labels,is_valid");
        for (String row : rows.subList(1, rows.size())) {
            String[] labels = row.split(",")[1].split(" ");
            assertThat(labels.length).isBetween(1, 3);
            assertThat(Set.of("animals", "flags", "food")).contains(labels);
        }
        assertThat(rows.stream().skip(1).anyMatch(r -> r.split(",")[1].contains(" "))).isTrue();
    }

    @Test
    void sameSeedSameFilesAndRefusesAFullFolder() throws IOException {
        Path clip = clipart();
        DemoTasks.build(DemoTasks.Kind.MULTI_LABEL, clip, dir.resolve("a"), 12, 5);
        DemoTasks.build(DemoTasks.Kind.MULTI_LABEL, clip, dir.resolve("b"), 12, 5);
        assertThat(Files.readAllLines(dir.resolve("a/labels.csv"))).isEqualTo(Files.readAllLines(dir.resolve("b/labels.csv")));
        assertThat(Files.readAllBytes(dir.resolve("a/scene0003.png"))).isEqualTo(Files.readAllBytes(dir.resolve("b/scene0003.png")));
        assertThatThrownBy(() -> DemoTasks.build(DemoTasks.Kind.MULTI_LABEL, clip, dir.resolve("a"), 12, 5))
                .isInstanceOf(KodiakException.class).hasMessageContaining("not empty");
    }
}
