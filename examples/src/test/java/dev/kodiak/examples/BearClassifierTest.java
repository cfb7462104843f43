package dev.kodiak.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.predict.Predictor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearClassifierTest {
    @TempDir
    Path dir;

    @Test
    void theLessonRunsEndToEndOnATinyDataset() throws IOException {
        Path data = dir.resolve("bears");
        Color[] colors = {new Color(120, 70, 30), Color.BLACK, new Color(240, 240, 230)};
        String[] labels = {"grizzly", "black", "teddy"};
        for (int l = 0; l < 3; l++) {
            for (int i = 0; i < 8; i++) {
                BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(colors[l]);
                g.fillRect(0, 0, 40, 40);
                g.setColor(Color.GRAY);
                g.fillOval(i * 3, i * 2, 12, 12);
                g.dispose();
                Files.createDirectories(data.resolve(labels[l]));
                ImageIO.write(img, "png", data.resolve(labels[l]).resolve(labels[l] + i + ".png").toFile());
            }
        }
        Path out = dir.resolve("out");
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true));
        try {
            BearClassifier.main(new String[] {data.toString(), "--size", "32", "--epochs", "1", "--bs", "8",
                    "--out", out.toString()});
        } finally {
            System.setOut(original);
        }
        for (String f : new String[] {"bears.kodiak", "batch.png", "loss.png", "confusion.png", "top-losses.png"}) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        String text = printed.toString();
        assertThat(text).contains("Labels: [black, grizzly, teddy]").contains("Error rate: ")
                .contains("precision");
        assertThat(text.lines().filter(l -> l.matches("black\\d\\.png: (black|grizzly|teddy) \\(\\d+\\.\\d%\\)")))
                .hasSize(3);
        try (Predictor p = Predictor.load(out.resolve("bears.kodiak"))) {
            assertThat(p.labels()).containsExactly("black", "grizzly", "teddy");
        }
    }
}
