package dev.kodiak.vision.imagenet;

import dev.kodiak.models.ResolvedWeights;
import dev.kodiak.KodiakException;
import dev.kodiak.vision.FilterResampler;
import dev.kodiak.vision.Resampler;
import dev.kodiak.vision.RgbImage;
import java.util.List;

/**
 * Turns an image into the normalised float input of an ImageNet classifier, the way torchvision evaluates a PIL
 * image: the shorter side resized to {@code resizeSize} with the weights' own filter (Pillow's resampling,
 * {@link FilterResampler}), a centre crop of {@code inputSize} (torchvision's rounding), then
 * {@code (value/255 - mean) / std} per channel, laid out channels-first (CHW).
 */
final class ImageNetInput {
    private ImageNetInput() {
    }

    /**
     * The normalised CHW input for {@code image}. With {@code resize} false the image must already be
     * {@code inputSize} square and is only normalised, so the same pixels give PyTorch's exact logits.
     */
    static float[] prepare(RgbImage image, ResolvedWeights weights, boolean resize, String source) {
        int size = weights.inputSize();
        RgbImage rgb;
        if (resize) {
            FilterResampler.Filter filter = FilterResampler.Filter.of(weights.interpolation());
            rgb = centreCrop(resizeShorterSide(image, weights.resizeSize(), filter), size);
        } else {
            if (image.width() != size || image.height() != size) {
                throw new KodiakException("image " + source + " is " + image.width() + "x" + image.height()
                        + "; with --no-resize it must already be " + size + "x" + size + " (the input size of "
                        + weights.name() + ")");
            }
            rgb = image;
        }
        return normalise(rgb, weights.mean(), weights.std());
    }

    static float[] normalise(RgbImage rgb, List<Double> mean, List<Double> std) {
        int plane = rgb.width() * rgb.height();
        byte[] px = rgb.pixels();
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            float m = mean.get(c).floatValue();
            float s = std.get(c).floatValue();
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = ((px[i * 3 + c] & 0xFF) / 255f - m) / s;
            }
        }
        return out;
    }

    static RgbImage resizeShorterSide(RgbImage image, int shorter, FilterResampler.Filter filter) {
        int w = image.width();
        int h = image.height();
        int nw = w <= h ? shorter : (int) ((long) w * shorter / h);
        int nh = h < w ? shorter : (int) ((long) h * shorter / w);
        return FilterResampler.resize(image, nw, nh, filter);
    }

    static RgbImage centreCrop(RgbImage image, int size) {
        if (image.width() < size || image.height() < size) {
            throw new KodiakException("cannot crop " + size + "x" + size + " from a " + image.width() + "x"
                    + image.height() + " image");
        }
        // torchvision rounds the offset half to even (Python's round), as Math.rint does
        int left = (int) Math.rint((image.width() - size) / 2.0);
        int top = (int) Math.rint((image.height() - size) / 2.0);
        return Resampler.crop(image, left, top, size, size);
    }
}
