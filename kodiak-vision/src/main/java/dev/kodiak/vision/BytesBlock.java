package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import dev.kodiak.data.InputBlock;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Any file's bytes as a one-channel picture ({@code --input bytes}, {@link BytesImage}): the lesson's "other signals
 * as pictures" (malware as images). Items are held as grey {@link RgbImage}s so that the image item transforms
 * (the resize) apply unchanged, and are written to the batch as one channel: a byte is one value, and three equal
 * channels would only triple the memory (the ImageNet stem is adapted to one channel as for spectrograms).
 * The model file records {@code input.kind: "bytes"} and {@code input.parameters: {max_bytes}}.
 */
public final class BytesBlock implements InputBlock<RgbImage> {
    /** The name model files record. */
    public static final String KIND = "bytes";

    private final long maxBytes;

    private BytesBlock(long maxBytes) {
        if (maxBytes < 1 || maxBytes > BytesImage.MAX_LIMIT) {
            throw new KodiakException("the limit of bytes must be between 1 and " + BytesImage.MAX_LIMIT
                    + " (1 GiB), got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Files of up to {@code maxBytes} bytes; larger ones are refused as {@code too_large}. */
    public static BytesBlock of(long maxBytes) {
        return new BytesBlock(maxBytes);
    }

    /** Files of up to {@link BytesImage#DEFAULT_MAX_BYTES} (16 MiB). */
    public static BytesBlock standard() {
        return of(BytesImage.DEFAULT_MAX_BYTES);
    }

    /** The block a model file's {@code input.parameters} describe ({@code max_bytes}). */
    public static BytesBlock fromParameters(Map<String, Object> parameters) {
        Object max = parameters == null ? null : parameters.get("max_bytes");
        if (!(max instanceof Number n) || n.doubleValue() != n.longValue()) {
            throw new KodiakException("the bytes input section's parameters need 'max_bytes' (a whole number of bytes),"
                    + " got " + (parameters == null ? "no parameters" : parameters));
        }
        return of(n.longValue());
    }

    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public RgbImage load(Path item) {
        return BytesImage.read(item, maxBytes).toRgb();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("max_bytes", maxBytes);
        return p;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public int[] size(RgbImage sample) {
        return new int[] {sample.height(), sample.width()};
    }

    @Override
    public void writeHwc(RgbImage sample, ByteBuffer dest) {
        byte[] rgb = sample.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            dest.put(rgb[i]); // grey: the three channels are equal (resizing keeps them so)
        }
    }

    @Override
    public RgbImage fromChw(float[] chw, int height, int width) {
        int plane = height * width;
        byte[] rgb = new byte[plane * 3];
        for (int i = 0; i < plane; i++) {
            float v = chw[i];
            byte b = (byte) Math.round((v < 0 ? 0 : v > 1 ? 1 : v) * 255f);
            rgb[3 * i] = b;
            rgb[3 * i + 1] = b;
            rgb[3 * i + 2] = b;
        }
        return new RgbImage(width, height, rgb);
    }

    @Override
    public void drawGrid(List<RgbImage> samples, List<String> captions, int columns, Path png) {
        ImageGrid.write(samples, captions, columns, png);
    }

    @Override
    public long bytes(RgbImage sample) {
        return sample.pixels().length + 64L;
    }

    @Override
    public String describe(RgbImage sample) {
        return "bytes picture " + sample.width() + "x" + sample.height();
    }
}
