package dev.kodiak.gather;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/** Small, clearly different test pictures (smooth shapes, so their perceptual hashes are stable), encoded. */
final class Pictures {
    private Pictures() {
    }

    /**
     * A {@code w x h} picture: per channel, a sum of three slow waves whose directions and phases come from
     * {@code seed}. Smooth everywhere (no flat areas, where a perceptual hash is fragile) and different per seed.
     */
    static BufferedImage picture(int w, int h, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] waves = new double[9][4];
        for (double[] wave : waves) {
            wave[0] = 0.3 + 1.2 * r.nextDouble();          // cycles across the width
            wave[1] = 0.3 + 1.2 * r.nextDouble() - 0.75;   // cycles down the height
            wave[2] = 2 * Math.PI * r.nextDouble();        // phase
            wave[3] = 0.5 + r.nextDouble();                // amplitude
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = 0;
                    double total = 0;
                    for (int k = 0; k < 3; k++) {
                        double[] wave = waves[c * 3 + k];
                        v += wave[3] * Math.sin(2 * Math.PI * (wave[0] * x / w + wave[1] * y / h) + wave[2]);
                        total += wave[3];
                    }
                    int level = (int) Math.round(127.5 + 127.5 * v / total);
                    rgb = rgb << 8 | Math.max(0, Math.min(255, level));
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** {@code image} redrawn at another size (a "resized copy" for near-duplicate tests). */
    static BufferedImage resized(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    /** A 32x24 lossy WebP (left half red, right half blue); see the test resources' README. */
    static byte[] webp() {
        try (InputStream in = Pictures.class.getResourceAsStream("red-blue.webp")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
