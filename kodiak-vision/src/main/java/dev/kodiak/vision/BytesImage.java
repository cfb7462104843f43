package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.ImageDecodeException.Reason;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Any file's bytes as a greyscale picture (the lesson's "other signals as pictures": malware as images, Nataraj et
 * al. 2011): one byte per pixel, row by row, the width chosen from the file's size as in that paper so that files of
 * similar size look alike, the height {@code ceil(size / width)}, the last row padded with zeros.
 *
 * <table>
 * <caption>width by file size (1 KB = 1,024 bytes)</caption>
 * <tr><th>size</th><th>width</th></tr>
 * <tr><td>&lt; 10 KB</td><td>32</td></tr>
 * <tr><td>10 – 30 KB</td><td>64</td></tr>
 * <tr><td>30 – 60 KB</td><td>128</td></tr>
 * <tr><td>60 – 100 KB</td><td>256</td></tr>
 * <tr><td>100 – 200 KB</td><td>384</td></tr>
 * <tr><td>200 – 500 KB</td><td>512</td></tr>
 * <tr><td>500 – 1,000 KB</td><td>768</td></tr>
 * <tr><td>&ge; 1,000 KB</td><td>1024</td></tr>
 * </table>
 * A lower bound belongs to its row (exactly 10 KB is 64 wide). Files over a limit of bytes ({@link #DEFAULT_MAX_BYTES}
 * unless given) are refused before they are read, and empty files are refused: both as {@link ImageDecodeException}s
 * ({@code too_large}, {@code zero_bytes}), like images that cannot be used.
 *
 * @param width  pixels per row (one of the table's widths)
 * @param height rows
 * @param pixels {@code width * height} grey values, row-major; the bytes past the file's end are 0
 */
public record BytesImage(int width, int height, byte[] pixels) {
    /** The default limit: 16 MiB, a 1024 x 16384 picture. */
    public static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;

    /** The highest limit {@link #read(Path, long)} takes: 1 GiB (a picture must fit one Java array). */
    public static final long MAX_LIMIT = 1L << 30;

    private static final long KB = 1024;
    private static final long[] UPPER_KB = {10, 30, 60, 100, 200, 500, 1000};
    private static final int[] WIDTHS = {32, 64, 128, 256, 384, 512, 768, 1024};

    public BytesImage {
        if (width <= 0 || height <= 0) {
            throw new KodiakException("a bytes picture's size must be positive, got " + width + "x" + height);
        }
        if (pixels == null || pixels.length != (long) width * height) {
            throw new KodiakException("expected " + (long) width * height + " grey bytes for " + width + "x" + height
                    + ", got " + (pixels == null ? "none" : pixels.length));
        }
    }

    /** The width for a file of {@code size} bytes (the table above). */
    public static int widthFor(long size) {
        if (size < 0) {
            throw new KodiakException("a file size cannot be negative, got " + size);
        }
        for (int i = 0; i < UPPER_KB.length; i++) {
            if (size < UPPER_KB[i] * KB) {
                return WIDTHS[i];
            }
        }
        return WIDTHS[WIDTHS.length - 1];
    }

    /** The picture of {@code bytes}; {@code name} (a path, an upload's name) is used in errors. */
    public static BytesImage of(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new ImageDecodeException(name, null, Reason.ZERO_BYTES, "the file is empty (0 bytes): there is"
                    + " nothing to draw", null);
        }
        if (bytes.length > MAX_LIMIT) {
            throw tooLarge(name, null, bytes.length, MAX_LIMIT);
        }
        int width = widthFor(bytes.length);
        int height = (int) ((bytes.length + (long) width - 1) / width);
        return new BytesImage(width, height, Arrays.copyOf(bytes, width * height));
    }

    /** Reads {@code file} with the {@link #DEFAULT_MAX_BYTES} limit. */
    public static BytesImage read(Path file) {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads {@code file} (a regular file, never more than {@code maxBytes} of it) as a picture.
     *
     * @throws ImageDecodeException when it is empty, over the limit, not a regular file, or cannot be read
     */
    public static BytesImage read(Path file, long maxBytes) {
        if (maxBytes < 1 || maxBytes > MAX_LIMIT) {
            throw new KodiakException("the limit of bytes must be between 1 and " + MAX_LIMIT + " (1 GiB), got "
                    + maxBytes);
        }
        String name = file.toString();
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) { // a link to /dev/zero is a device: never read it
                throw new ImageDecodeException(name, file, Reason.UNREADABLE, "it is not a regular file (a folder, "
                        + "pipe, device or socket), so it is not read", null);
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw tooLarge(name, file, size, maxBytes);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) { // the file may grow while we read
                bytes = in.readNBytes((int) maxBytes + 1);
            }
            if (bytes.length > maxBytes) {
                throw tooLarge(name, file, bytes.length, maxBytes);
            }
            return of(bytes, name);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(name, file, Reason.UNREADABLE, "the file does not exist", e);
        } catch (AccessDeniedException e) {
            throw new ImageDecodeException(name, file, Reason.UNREADABLE, "permission denied", e);
        } catch (IOException e) {
            throw new ImageDecodeException(name, file, Reason.UNREADABLE, "it cannot be read (" + e + ")", e);
        }
    }

    /** Grey value of pixel (x, y), 0..255. */
    public int get(int x, int y) {
        return pixels[y * width + x] & 0xFF;
    }

    /** The same picture in the image pipeline's item type: each grey value in all three channels. */
    public RgbImage toRgb() {
        byte[] rgb = new byte[pixels.length * 3];
        for (int i = 0; i < pixels.length; i++) {
            rgb[3 * i] = pixels[i];
            rgb[3 * i + 1] = pixels[i];
            rgb[3 * i + 2] = pixels[i];
        }
        return new RgbImage(width, height, rgb);
    }

    private static ImageDecodeException tooLarge(String name, Path file, long size, long maxBytes) {
        return new ImageDecodeException(name, file, Reason.TOO_LARGE, String.format(Locale.ROOT,
                "the file has %,d bytes, over the limit of %,d for reading files as bytes pictures (raise the limit, "
                        + "or leave such files out)", size, maxBytes), null);
    }

    @Override
    public String toString() {
        return "BytesImage " + width + "x" + height;
    }
}
