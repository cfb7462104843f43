package dev.kodiak.spark;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.RgbImage;
import org.apache.spark.sql.Row;

/**
 * Spark's {@code image} source struct (OpenCV layout: rows of BGR, BGRA or grey bytes) as Kodiak's RGB image. Alpha is
 * flattened on white, as Kodiak's own decoder does.
 */
final class SparkImages {
    private SparkImages() {
    }

    static RgbImage toRgb(Row image, String name) {
        int height = image.<Integer>getAs("height");
        int width = image.<Integer>getAs("width");
        int channels = image.<Integer>getAs("nChannels");
        byte[] data = image.getAs("data");
        if (height <= 0 || width <= 0 || data == null || data.length == 0) {
            throw new KodiakException("cannot read image " + name + ": Spark's image source could not decode it");
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new KodiakException("cannot read image " + name + ": " + channels + " channels (expected 1, 3 or 4)");
        }
        long expected = (long) height * width * channels;
        if (data.length != expected) {
            throw new KodiakException("cannot read image " + name + ": its data has " + data.length + " bytes, not "
                    + expected + " (" + width + "x" + height + "x" + channels + ")");
        }
        byte[] rgb = new byte[height * width * 3];
        for (int i = 0, o = 0; i < data.length; i += channels, o += 3) {
            if (channels == 1) {
                rgb[o] = data[i];
                rgb[o + 1] = data[i];
                rgb[o + 2] = data[i];
            } else {
                int b = data[i] & 0xff;
                int g = data[i + 1] & 0xff;
                int r = data[i + 2] & 0xff;
                if (channels == 4) {
                    int a = data[i + 3] & 0xff;
                    r = (r * a + 255 * (255 - a) + 127) / 255;
                    g = (g * a + 255 * (255 - a) + 127) / 255;
                    b = (b * a + 255 * (255 - a) + 127) / 255;
                }
                rgb[o] = (byte) r;
                rgb[o + 1] = (byte) g;
                rgb[o + 2] = (byte) b;
            }
        }
        return new RgbImage(width, height, rgb);
    }
}
