package dev.kodiak.vision;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * BufferedImage to RgbImage by reading the raster's arrays directly for the layouts decoders produce (interleaved
 * 8/16-bit RGB and gray with or without alpha, packed ints, palettes); anything else goes through
 * {@code getRGB}, which is slower but converts any colour space. Alpha is flattened on white.
 */
final class PixelConversion {
    private PixelConversion() {
    }

    static RgbImage toRgb(BufferedImage image) {
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        RgbImage fast = null;
        if (!cm.isAlphaPremultiplied()) {
            if (cm instanceof IndexColorModel icm) {
                fast = fromPalette(icm, raster);
            } else if (cm instanceof ComponentColorModel && raster.getSampleModel() instanceof ComponentSampleModel) {
                fast = fromComponents(cm, raster);
            } else if (cm instanceof DirectColorModel dcm && raster.getDataBuffer() instanceof DataBufferInt) {
                fast = fromPackedInts(dcm, raster);
            }
        }
        return fast != null ? fast : viaGetRgb(image);
    }

    static BufferedImage toBufferedImage(RgbImage img) {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        byte[] src = img.pixels();
        for (int i = 0; i < src.length; i += 3) {
            dst[i] = src[i + 2];
            dst[i + 1] = src[i + 1];
            dst[i + 2] = src[i];
        }
        return out;
    }

    /** Colour {@code c} seen through alpha {@code a} over white (both 0..255), rounded. */
    static int overWhite(int c, int a) {
        return (c * a + 255 * (255 - a) + 127) / 255;
    }

    private static RgbImage fromComponents(ColorModel cm, Raster raster) {
        ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
        int colors = cm.getNumColorComponents();
        int csType = cm.getColorSpace().getType();
        boolean gray = colors == 1 && csType == ColorSpace.TYPE_GRAY; // raw values: the file's own gamma, as PIL
        boolean rgb = colors == 3 && cm.getColorSpace().isCS_sRGB();
        if (!gray && !rgb || sm.getNumBands() != cm.getNumComponents()) {
            return null;
        }
        for (int bank : sm.getBankIndices()) {
            if (bank != 0) {
                return null;
            }
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        int[] bandOffsets = sm.getBandOffsets();
        int alphaOffset = cm.hasAlpha() ? bandOffsets[colors] : -1;
        int pixelStride = sm.getPixelStride();
        int scan = sm.getScanlineStride();
        DataBuffer db = raster.getDataBuffer();
        int base = db.getOffset() - raster.getSampleModelTranslateY() * scan
                - raster.getSampleModelTranslateX() * pixelStride;
        int r = bandOffsets[0];
        int g = gray ? r : bandOffsets[1];
        int b = gray ? r : bandOffsets[2];
        byte[] out = new byte[w * h * 3];
        if (db instanceof DataBufferByte bytes) {
            byte[] d = bytes.getData();
            int o = 0;
            for (int y = 0; y < h; y++) {
                int p = base + y * scan;
                for (int x = 0; x < w; x++, p += pixelStride, o += 3) {
                    if (alphaOffset < 0) {
                        out[o] = d[p + r];
                        out[o + 1] = d[p + g];
                        out[o + 2] = d[p + b];
                    } else {
                        int a = d[p + alphaOffset] & 0xFF;
                        out[o] = (byte) overWhite(d[p + r] & 0xFF, a);
                        out[o + 1] = (byte) overWhite(d[p + g] & 0xFF, a);
                        out[o + 2] = (byte) overWhite(d[p + b] & 0xFF, a);
                    }
                }
            }
        } else if (db instanceof DataBufferUShort shorts) {
            short[] d = shorts.getData(); // 16-bit samples keep their high byte, as PIL does
            int o = 0;
            for (int y = 0; y < h; y++) {
                int p = base + y * scan;
                for (int x = 0; x < w; x++, p += pixelStride, o += 3) {
                    int a = alphaOffset < 0 ? 255 : (d[p + alphaOffset] & 0xFFFF) >>> 8;
                    out[o] = (byte) overWhite((d[p + r] & 0xFFFF) >>> 8, a);
                    out[o + 1] = (byte) overWhite((d[p + g] & 0xFFFF) >>> 8, a);
                    out[o + 2] = (byte) overWhite((d[p + b] & 0xFFFF) >>> 8, a);
                }
            }
        } else {
            return null;
        }
        return new RgbImage(w, h, out);
    }

    private static RgbImage fromPackedInts(DirectColorModel cm, Raster raster) {
        if (!(raster.getSampleModel() instanceof SinglePixelPackedSampleModel sm) || !cm.getColorSpace().isCS_sRGB()) {
            return null;
        }
        int rs = shiftOf8BitMask(cm.getRedMask());
        int gs = shiftOf8BitMask(cm.getGreenMask());
        int bs = shiftOf8BitMask(cm.getBlueMask());
        int as = cm.hasAlpha() ? shiftOf8BitMask(cm.getAlphaMask()) : 0;
        if (rs < 0 || gs < 0 || bs < 0 || as < 0) {
            return null;
        }
        boolean alpha = cm.hasAlpha();
        int w = raster.getWidth();
        int h = raster.getHeight();
        int scan = sm.getScanlineStride();
        DataBufferInt db = (DataBufferInt) raster.getDataBuffer();
        int[] d = db.getData();
        int base = db.getOffset() - raster.getSampleModelTranslateY() * scan - raster.getSampleModelTranslateX();
        byte[] out = new byte[w * h * 3];
        int o = 0;
        for (int y = 0; y < h; y++) {
            int p = base + y * scan;
            for (int x = 0; x < w; x++, p++, o += 3) {
                int v = d[p];
                int a = alpha ? v >>> as & 0xFF : 255;
                out[o] = (byte) overWhite(v >>> rs & 0xFF, a);
                out[o + 1] = (byte) overWhite(v >>> gs & 0xFF, a);
                out[o + 2] = (byte) overWhite(v >>> bs & 0xFF, a);
            }
        }
        return new RgbImage(w, h, out);
    }

    private static RgbImage fromPalette(IndexColorModel cm, Raster raster) {
        int bits = raster.getSampleModel().getSampleSize(0);
        if (raster.getNumBands() != 1 || bits > 16) {
            return null;
        }
        int[] lut = new int[1 << bits]; // indices past the palette stay black
        for (int i = 0; i < Math.min(cm.getMapSize(), lut.length); i++) {
            int argb = cm.getRGB(i);
            int a = argb >>> 24;
            lut[i] = overWhite(argb >>> 16 & 0xFF, a) << 16 | overWhite(argb >>> 8 & 0xFF, a) << 8
                    | overWhite(argb & 0xFF, a);
        }
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            raster.getSamples(raster.getMinX(), raster.getMinY() + y, w, 1, 0, row);
            for (int x = 0; x < w; x++, o += 3) {
                int c = lut[row[x]];
                out[o] = (byte) (c >>> 16);
                out[o + 1] = (byte) (c >>> 8);
                out[o + 2] = (byte) c;
            }
        }
        return new RgbImage(w, h, out);
    }

    private static RgbImage viaGetRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        int o = 0;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++, o += 3) {
                int v = row[x];
                int a = v >>> 24;
                out[o] = (byte) overWhite(v >>> 16 & 0xFF, a);
                out[o + 1] = (byte) overWhite(v >>> 8 & 0xFF, a);
                out[o + 2] = (byte) overWhite(v & 0xFF, a);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** The shift of an 8-bit-wide contiguous mask, or -1. */
    private static int shiftOf8BitMask(int mask) {
        int shift = Integer.numberOfTrailingZeros(mask);
        return mask != 0 && mask >>> shift == 0xFF ? shift : -1;
    }
}
