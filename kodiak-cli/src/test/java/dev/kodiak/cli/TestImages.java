package dev.kodiak.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Tiny labelled image folders for CLI tests: colour-coded squares per label. */
final class TestImages {
    private TestImages() {
    }

    static Path png(Path file, int size, Color color, int variant) throws IOException {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, size, size);
        g.setColor(Color.WHITE);
        g.fillRect(variant % size, (variant * 3) % size, size / 4, size / 4);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** {@code perLabel} 32 px PNGs in each of {@code labels} folders under {@code dir}. */
    static Path folders(Path dir, int perLabel, String... labels) throws IOException {
        Color[] colors = {Color.RED, Color.BLUE, Color.GREEN, Color.ORANGE};
        for (int l = 0; l < labels.length; l++) {
            for (int i = 0; i < perLabel; i++) {
                png(dir.resolve(labels[l]).resolve(String.format("%s_%02d.png", labels[l], i)), 32, colors[l % 4], i);
            }
        }
        return dir;
    }
}
