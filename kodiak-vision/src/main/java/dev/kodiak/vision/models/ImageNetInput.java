package dev.kodiak.vision.models;

import dev.kodiak.KodiakException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Turns an image into the normalised float input of an ImageNet classifier, the way torchvision evaluates: the
 * shorter side resized (bilinear) to {@code resizeSize}, a centre crop of {@code inputSize}, then
 * {@code (value/255 - mean) / std} per channel, laid out channels-first (CHW).
 *
 * <p>Kodiak's own decoder and resize transforms will replace the resizing here; the normalisation is the contract.
 */
final class ImageNetInput {
    private ImageNetInput() {
    }

    /**
     * The normalised CHW input for {@code image}. With {@code resize} false the image must already be
     * {@code inputSize} square and is only normalised, so the same pixels give PyTorch's exact logits.
     */
    static float[] prepare(BufferedImage image, ResolvedWeights weights, boolean resize, String source) {
        int size = weights.inputSize();
        BufferedImage rgb;
        if (resize) {
            rgb = centreCrop(resizeShorterSide(image, weights.resizeSize()), size);
        } else {
            if (image.getWidth() != size || image.getHeight() != size) {
                throw new KodiakException("image " + source + " is " + image.getWidth() + "x" + image.getHeight()
                        + "; with --no-resize it must already be " + size + "x" + size + " (the input size of "
                        + weights.name() + ")");
            }
            rgb = opaque(image);
        }
        return normalise(rgb, weights.mean(), weights.std());
    }

    static float[] normalise(BufferedImage rgb, List<Double> mean, List<Double> std) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] pixels = rgb.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[3 * w * h];
        int plane = w * h;
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c; // red, green, blue
            float m = mean.get(c).floatValue();
            float s = std.get(c).floatValue();
            for (int i = 0; i < plane; i++) {
                float v = ((pixels[i] >> shift) & 0xFF) / 255f;
                out[c * plane + i] = (v - m) / s;
            }
        }
        return out;
    }

    static BufferedImage resizeShorterSide(BufferedImage image, int shorter) {
        int w = image.getWidth();
        int h = image.getHeight();
        int nw = w <= h ? shorter : (int) ((long) w * shorter / h);
        int nh = h < w ? shorter : (int) ((long) h * shorter / w);
        BufferedImage out = new BufferedImage(nw, nh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, nw, nh);
            g.drawImage(image, 0, 0, nw, nh, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    static BufferedImage centreCrop(BufferedImage image, int size) {
        if (image.getWidth() < size || image.getHeight() < size) {
            throw new KodiakException("cannot crop " + size + "x" + size + " from a " + image.getWidth() + "x"
                    + image.getHeight() + " image");
        }
        int x = (image.getWidth() - size) / 2;
        int y = (image.getHeight() - size) / 2;
        return image.getSubimage(x, y, size, size);
    }

    // Transparent pixels are flattened on white, as Kodiak's decoder does.
    private static BufferedImage opaque(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB || !image.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
