package dev.kodiak.audio;

import dev.kodiak.KodiakException;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Spectrograms in a grid, as PNG: low frequencies at the bottom, time left to right, values 0..1 through a dark
 * blue → magenta → yellow colour map (quiet is dark), each with its caption above.
 */
public final class SpectrogramGrid {
    private static final int CAPTION = 18;
    private static final int GAP = 6;
    // colour map anchors, evenly spaced over 0..1 (close to matplotlib's magma, which audio plots use)
    private static final int[][] MAP = {{0, 0, 4}, {59, 15, 112}, {140, 41, 129}, {222, 73, 104}, {254, 159, 109},
            {252, 253, 191}};

    private SpectrogramGrid() {
    }

    /**
     * @param specs    one array of {@code mels × frames} values in 0..1 (row = mel bin, lowest first) per picture
     * @param captions one per picture (same order)
     */
    public static void write(List<float[]> specs, int mels, int frames, List<String> captions, int columns, Path png) {
        if (specs.isEmpty()) {
            throw new KodiakException("nothing to draw: no spectrograms");
        }
        if (captions.size() != specs.size()) {
            throw new KodiakException(specs.size() + " spectrograms but " + captions.size() + " captions");
        }
        int cols = Math.max(1, Math.min(columns, specs.size()));
        int rows = (specs.size() + cols - 1) / cols;
        int sx = Math.max(1, (200 + frames - 1) / frames); // a readable size for short clips and few mels
        int sy = Math.max(1, (128 + mels - 1) / mels);
        int cw = Math.max(frames * sx, 120);
        int ch = mels * sy;
        BufferedImage img = new BufferedImage(cols * (cw + GAP) + GAP, rows * (ch + CAPTION + GAP) + GAP,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < specs.size(); i++) {
                float[] s = specs.get(i);
                if (s.length != mels * frames) {
                    throw new KodiakException("spectrogram " + i + " has " + s.length + " values, not " + mels + " x "
                            + frames);
                }
                int x0 = GAP + (i % cols) * (cw + GAP);
                int y0 = GAP + (i / cols) * (ch + CAPTION + GAP);
                g.setColor(Color.BLACK);
                g.drawString(fit(captions.get(i), fm, cw), x0, y0 + fm.getAscent());
                int top = y0 + CAPTION;
                for (int m = 0; m < mels; m++) {
                    for (int f = 0; f < frames; f++) {
                        int rgb = colour(s[m * frames + f]);
                        int py = top + (mels - 1 - m) * sy;
                        for (int dy = 0; dy < sy; dy++) {
                            for (int dx = 0; dx < sx; dx++) {
                                img.setRGB(x0 + f * sx + dx, py + dy, rgb);
                            }
                        }
                    }
                }
            }
        } finally {
            g.dispose();
        }
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ImageIO.write(img, "png", png.toFile());
        } catch (IOException e) {
            throw new KodiakException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    /** The colour of a value in 0..1 (clamped; NaN is drawn as the floor). */
    static int colour(float v) {
        double t = Float.isNaN(v) ? 0 : Math.min(1, Math.max(0, v)) * (MAP.length - 1);
        int k = Math.min(MAP.length - 2, (int) t);
        double a = t - k;
        int r = (int) Math.round(MAP[k][0] + a * (MAP[k + 1][0] - MAP[k][0]));
        int gr = (int) Math.round(MAP[k][1] + a * (MAP[k + 1][1] - MAP[k][1]));
        int b = (int) Math.round(MAP[k][2] + a * (MAP[k + 1][2] - MAP[k][2]));
        return (r << 16) | (gr << 8) | b;
    }

    private static String fit(String text, FontMetrics fm, int width) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String t = text;
        while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
