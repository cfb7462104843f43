package dev.kodiak.vision.interpret;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Tiny one-colour PNG files standing in for the evaluated items of an interpretation. */
final class SolidImages {
    private SolidImages() {
    }

    /** {@code n} 32×32 PNG files in {@code dir}, item0.png ... */
    static List<Path> write(Path dir, int n) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(new Color(40 * i % 256, 100, 200));
            g.fillRect(0, 0, 32, 32);
            g.dispose();
            Path file = dir.resolve("item" + i + ".png");
            try {
                ImageIO.write(image, "png", file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(file);
        }
        return files;
    }

    /** Width of a top-losses grid of 160 px cells in {@code columns} columns (6 px gaps around and between). */
    static int gridWidth(int columns) {
        return 6 + columns * (160 + 6);
    }
}
