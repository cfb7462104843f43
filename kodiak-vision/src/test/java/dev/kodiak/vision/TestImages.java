package dev.kodiak.vision;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;

/** Builds the small images and encoded files the tests decode. */
final class TestImages {
    static final int RED = 0xFF0000;
    static final int GREEN = 0x00FF00;
    static final int BLUE = 0x0000FF;
    static final int WHITE = 0xFFFFFF;

    private TestImages() {
    }

    /** w x h, quadrants: top-left red, top-right green, bottom-left blue, bottom-right white. */
    static BufferedImage quadrants(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean left = x < w / 2;
                boolean top = y < h / 2;
                image.setRGB(x, y, top ? (left ? RED : GREEN) : (left ? BLUE : WHITE));
            }
        }
        return image;
    }

    /** Random noise (compresses badly, so a JPEG of it has most of its bytes in the scan data). */
    static BufferedImage noise(int w, int h, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no " + format + " writer for type " + image.getType());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] jpeg(BufferedImage image, boolean progressive) {
        return jpeg(new IIOImage(image, null, null), progressive);
    }

    /** A JPEG of a raster: 4-band rasters are written as raw CMYK-style components. */
    static byte[] jpeg(Raster raster) {
        return jpeg(new IIOImage(raster, null, null), false);
    }

    private static byte[] jpeg(IIOImage image, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, image, param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** {@code jpeg} with {@code segment} (a whole marker segment, FF xx length ...) inserted right after SOI. */
    static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
        byte[] out = new byte[jpeg.length + segment.length];
        System.arraycopy(jpeg, 0, out, 0, 2);
        System.arraycopy(segment, 0, out, 2, segment.length);
        System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
        return out;
    }

    /**
     * An APP1 EXIF segment holding one IFD with the orientation tag, written by hand: "Exif\0\0", a big-endian
     * TIFF header, then IFD0 with one SHORT entry (tag 0x0112) and no next IFD.
     */
    static byte[] exifOrientationSegment(int orientation) {
        byte[] tiff = {
            'M', 'M', 0, 42, 0, 0, 0, 8,            // header: big-endian, magic 42, IFD0 at offset 8
            0, 1,                                   // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1,           // tag 0x0112 Orientation, type SHORT, count 1
            0, (byte) orientation, 0, 0,            // value (left-justified in the 4-byte field)
            0, 0, 0, 0                              // no next IFD
        };
        int length = 2 + 6 + tiff.length;
        byte[] segment = new byte[2 + length];
        segment[0] = (byte) 0xFF;
        segment[1] = (byte) 0xE1;
        segment[2] = (byte) (length >> 8);
        segment[3] = (byte) length;
        System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, segment, 4, 6);
        System.arraycopy(tiff, 0, segment, 10, tiff.length);
        return segment;
    }

    /** The RGB of pixel (x, y) packed as 0xRRGGBB. */
    static int rgb(RgbImage image, int x, int y) {
        return image.get(x, y, 0) << 16 | image.get(x, y, 1) << 8 | image.get(x, y, 2);
    }

    /** True when every channel of (x, y) is within {@code tolerance} of {@code expected} (0xRRGGBB). */
    static boolean near(RgbImage image, int x, int y, int expected, int tolerance) {
        for (int c = 0; c < 3; c++) {
            int want = expected >> (16 - 8 * c) & 0xFF;
            if (Math.abs(image.get(x, y, c) - want) > tolerance) {
                return false;
            }
        }
        return true;
    }

    static RgbImage rgbImage(int w, int h, int... packed) {
        byte[] pixels = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            pixels[i * 3] = (byte) (packed[i] >> 16);
            pixels[i * 3 + 1] = (byte) (packed[i] >> 8);
            pixels[i * 3 + 2] = (byte) packed[i];
        }
        return new RgbImage(w, h, pixels);
    }
}
