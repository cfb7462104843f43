package dev.kodiak.vision;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;

import java.io.IOException;

/** Reads a JPEG's EXIF orientation tag and turns the pixels upright, as cameras and browsers expect. */
final class ExifOrientation {
    private ExifOrientation() {
    }

    /** The orientation (1..8) in the JPEG's EXIF block; 1 (upright) when there is none or it is unreadable. */
    static int read(byte[] jpeg, JpegStructure structure) {
        if (structure.exifOffset() < 0 || structure.exifLength() < 8) {
            return 1;
        }
        try (var in = new ByteArrayImageInputStream(jpeg, structure.exifOffset(), structure.exifLength())) {
            Directory ifd0 = new TIFFReader().read(in);
            Entry entry = ifd0.getEntryById(TIFF.TAG_ORIENTATION);
            if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
                return n.intValue();
            }
        } catch (IOException | RuntimeException e) {
            // Broken EXIF is common on the web and says nothing about the pixels: show the image as stored.
        }
        return 1;
    }

    /**
     * The image turned upright. Orientation values are EXIF's: 2 mirror left-right, 3 rotate 180°, 4 mirror
     * top-bottom, 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise.
     */
    static RgbImage apply(RgbImage img, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = img.pixels();
        byte[] dst = new byte[src.length];
        int o = 0;
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                int s = (sy * w + sx) * 3;
                dst[o] = src[s];
                dst[o + 1] = src[s + 1];
                dst[o + 2] = src[s + 2];
                o += 3;
            }
        }
        return new RgbImage(ow, oh, dst);
    }
}
