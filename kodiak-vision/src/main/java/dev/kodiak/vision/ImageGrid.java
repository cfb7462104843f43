package dev.kodiak.vision;

import dev.kodiak.KodiakException;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * Images in a grid with a caption above each, as in a batch preview or the top losses of a model. Captions are
 * anti-aliased, centred, may hold several lines (split on '\n') and are shortened with "…" when wider than the
 * image. Cells are as large as the largest image unless a cell size is given.
 */
public final class ImageGrid {
    private static final int GAP = 6;

    private ImageGrid() {
    }

    /** Writes the grid as a PNG file, atomically. {@code captions} may be empty (no captions). */
    public static void write(List<RgbImage> images, List<String> captions, int columns, Path png) {
        Images.writePng(render(images, captions, columns, 0), png);
    }

    /** Same, with every image scaled to fit a {@code cellSize x cellSize} cell (aspect ratio kept). */
    public static void write(List<RgbImage> images, List<String> captions, int columns, int cellSize, Path png) {
        if (cellSize <= 0) {
            throw new KodiakException("cellSize must be positive, got " + cellSize);
        }
        Images.writePng(render(images, captions, columns, cellSize), png);
    }

    /** The grid as an image; {@code cellSize} 0 means "as large as the largest image". */
    public static BufferedImage render(List<RgbImage> images, List<String> captions, int columns, int cellSize) {
        if (images == null || images.isEmpty()) {
            throw new KodiakException("an image grid needs at least one image");
        }
        if (captions != null && !captions.isEmpty() && captions.size() != images.size()) {
            throw new KodiakException("got " + images.size() + " images but " + captions.size()
                    + " captions; give one caption per image, or none");
        }
        if (columns <= 0) {
            throw new KodiakException("columns must be positive, got " + columns);
        }
        List<RgbImage> cells = cellSize > 0 ? images.stream().map(i -> fit(i, cellSize)).toList() : images;
        int cellWidth = cells.stream().mapToInt(RgbImage::width).max().orElseThrow();
        int cellHeight = cells.stream().mapToInt(RgbImage::height).max().orElseThrow();
        boolean captioned = captions != null && captions.stream().anyMatch(c -> c != null && !c.isEmpty());
        int lines = !captioned ? 0 : captions.stream().mapToInt(c -> c == null ? 0 : c.split("\n", -1).length)
                .max().orElse(0);

        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(11, Math.min(18, Math.round(cellWidth / 10.5f))));
        int cols = Math.min(columns, cells.size());
        int rows = (cells.size() + cols - 1) / cols;
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        pg.setFont(font);
        FontMetrics metrics = pg.getFontMetrics();
        pg.dispose();
        int lineHeight = metrics.getHeight();
        int captionHeight = lines == 0 ? 0 : lines * lineHeight + 4;
        int cellTotalHeight = captionHeight + cellHeight;

        BufferedImage canvas = new BufferedImage(GAP + cols * (cellWidth + GAP), GAP + rows * (cellTotalHeight + GAP),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, canvas.getWidth(), canvas.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setFont(font);
            g.setColor(Color.BLACK);
            for (int i = 0; i < cells.size(); i++) {
                int left = GAP + (i % cols) * (cellWidth + GAP);
                int top = GAP + (i / cols) * (cellTotalHeight + GAP);
                if (captioned && captions.get(i) != null) {
                    String[] text = captions.get(i).split("\n", -1);
                    for (int l = 0; l < text.length; l++) {
                        String line = ellipsize(text[l], metrics, cellWidth);
                        int x = left + (cellWidth - metrics.stringWidth(line)) / 2;
                        g.drawString(line, x, top + l * lineHeight + metrics.getAscent() + 1);
                    }
                }
                RgbImage image = cells.get(i);
                g.drawImage(ImageDecoder.toBufferedImage(image), left + (cellWidth - image.width()) / 2,
                        top + captionHeight + (cellHeight - image.height()) / 2, null);
            }
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /** {@code text} cut to fit {@code maxWidth} pixels, ending in "…" when cut. */
    static String ellipsize(String text, FontMetrics metrics, int maxWidth) {
        if (metrics.stringWidth(text) <= maxWidth) {
            return text;
        }
        int lo = 0;
        int hi = text.length();
        while (lo < hi) { // the longest prefix that fits with the ellipsis
            int mid = (lo + hi + 1) / 2;
            if (metrics.stringWidth(text.substring(0, mid).stripTrailing() + "…") <= maxWidth) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo == 0 ? "…" : text.substring(0, lo).stripTrailing() + "…";
    }

    private static RgbImage fit(RgbImage image, int size) {
        double s = Math.min((double) size / image.width(), (double) size / image.height());
        int w = Math.max(1, Math.min(size, (int) Math.round(image.width() * s)));
        int h = Math.max(1, Math.min(size, (int) Math.round(image.height() * s)));
        return w == image.width() && h == image.height() ? image : Resampler.resize(image, w, h);
    }
}
