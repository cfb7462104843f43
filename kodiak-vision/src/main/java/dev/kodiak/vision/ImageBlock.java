package dev.kodiak.vision;

import dev.kodiak.data.InputBlock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Images as model inputs: files are decoded to 8-bit RGB (grayscale converted, alpha flattened on white,
 * EXIF orientation applied) under the decoder's safety limits.
 */
public final class ImageBlock implements InputBlock<RgbImage> {
    private final ImageDecoder decoder;

    private ImageBlock(ImageDecoder decoder) {
        this.decoder = decoder;
    }

    /** RGB images with the standard decoding limits. */
    public static ImageBlock rgb() {
        return new ImageBlock(ImageDecoder.standard());
    }

    /** RGB images with other decoding limits (e.g. a larger maximum pixel count). */
    public static ImageBlock rgb(DecodeLimits limits) {
        return new ImageBlock(ImageDecoder.withLimits(limits));
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    @Override
    public RgbImage load(Path item) {
        return decoder.decode(item);
    }

    @Override
    public int channels() {
        return 3;
    }

    @Override
    public int[] size(RgbImage sample) {
        return new int[] {sample.height(), sample.width()};
    }

    @Override
    public void writeHwc(RgbImage sample, ByteBuffer dest) {
        dest.put(sample.pixels());
    }

    @Override
    public RgbImage fromChw(float[] chw, int height, int width) {
        int plane = height * width;
        byte[] hwc = new byte[plane * 3];
        for (int c = 0; c < 3; c++) {
            int base = c * plane;
            for (int i = 0; i < plane; i++) {
                float v = chw[base + i];
                int b = Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255f);
                hwc[i * 3 + c] = (byte) b;
            }
        }
        return new RgbImage(width, height, hwc);
    }

    @Override
    public void drawGrid(List<RgbImage> samples, List<String> captions, int columns, Path png) {
        ImageGrid.write(samples, captions, columns, png);
    }

    @Override
    public long bytes(RgbImage sample) {
        return sample.pixels().length + 64L; // the pixel array plus the record and array headers
    }

    @Override
    public String describe(RgbImage sample) {
        return "RGB image " + sample.width() + "x" + sample.height();
    }
}
