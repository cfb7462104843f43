package dev.kodiak.vision;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.leptonica.PIX;
import org.bytedeco.leptonica.global.leptonica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static org.bytedeco.leptonica.global.leptonica.pixDestroy;
import static org.bytedeco.leptonica.global.leptonica.pixGetColormap;
import static org.bytedeco.leptonica.global.leptonica.pixGetData;
import static org.bytedeco.leptonica.global.leptonica.pixGetDepth;
import static org.bytedeco.leptonica.global.leptonica.pixGetHeight;
import static org.bytedeco.leptonica.global.leptonica.pixGetWidth;
import static org.bytedeco.leptonica.global.leptonica.pixGetWpl;
import static org.bytedeco.leptonica.global.leptonica.pixReadMemJpeg;

/**
 * Decodes an ordinary JPEG with libjpeg-turbo (through Leptonica's JavaCPP presets), strictly, or says it can't by
 * returning null. Faster than ImageIO, whose JPEG reader is the JDK's IJG libjpeg 6b without SIMD: 0.87 ms instead
 * of 1.25 ms for a 500x375 photo, conversion to RGB bytes included (of which libjpeg-turbo and Leptonica's copy
 * into its own image take about 0.75 ms). The pixels are the same bytes as ImageIO's for the files measured.
 *
 * <p>Ordinary means what {@link #handles} accepts: a Huffman-coded baseline, extended or progressive frame with
 * 8-bit samples and 1 (gray) or 3 (YCbCr or RGB) components. Strict means any warning from libjpeg (such as
 * "Corrupt JPEG data: premature end of data segment") gives null, not a partly grey image: the caller then decodes
 * with ImageIO, which tolerates what it tolerates today and otherwise reports what is wrong. So damaged data is
 * never accepted here; only a file libjpeg-turbo decodes without a single warning but the JDK's older decoder
 * refuses for some other reason (none is known) would be read where it was refused before.
 *
 * <p>Colour: an embedded ICC profile is ignored and the decoded values are taken as sRGB, which is what PIL (and so
 * fastai) does; ImageIO would convert through the profile, so the few files with a non-sRGB profile come out
 * slightly different from ImageIO's result and the same as PIL's. EXIF orientation is not applied here.
 *
 * <p>When Leptonica's native library cannot be loaded (an unsupported platform), {@link #handles} is always false:
 * decoding falls back to ImageIO and this is logged once. Thread-safe: every call has its own libjpeg decompressor
 * and its own Leptonica image.
 */
final class TurboJpeg {
    private static final boolean AVAILABLE = load();
    /** Writes four bytes at once, the first in the most significant position (as RGB bytes are held in words). */
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private TurboJpeg() {
    }

    private static boolean load() {
        try {
            Loader.load(leptonica.class);
            // Leptonica reports "bad data" on stderr; a damaged file is reported by the ImageIO fallback instead.
            leptonica.setMsgSeverity(leptonica.L_SEVERITY_NONE);
            return true;
        } catch (LinkageError | RuntimeException e) {
            // the logger is only made here, so that SLF4J says nothing in programs that never need it
            Logger log = LoggerFactory.getLogger(TurboJpeg.class);
            log.warn("libjpeg-turbo (Leptonica's native library) is not available on {}-{}; JPEGs are decoded with "
                    + "ImageIO, more slowly ({})", System.getProperty("os.name"), System.getProperty("os.arch"),
                    e.toString());
            return false;
        }
    }

    /** Whether JPEGs with this frame header are decoded here; null (no frame header before the scan) is not. */
    static boolean handles(JpegStructure.Frame frame) {
        return AVAILABLE && frame != null
                && (frame.marker() == 0xC0 || frame.marker() == 0xC1 || frame.marker() == 0xC2)
                && frame.precision() == 8 && (frame.components() == 1 || frame.components() == 3)
                && frame.width() > 0 && frame.height() > 0;
    }

    /**
     * The pixels of {@code jpeg}, or null when libjpeg-turbo is unavailable, reports any error or warning, or
     * produces something other than 8-bit gray or 24-bit colour. Does not check {@link #handles} or any limit: the
     * caller does, from the frame header, before calling.
     */
    static RgbImage decode(byte[] jpeg) {
        if (!AVAILABLE) {
            return null;
        }
        int[] warnings = new int[1];
        // hint 0: fail on the first warning about bad data instead of returning a damaged image
        PIX pix = pixReadMemJpeg(jpeg, jpeg.length, 0, 1, warnings, 0);
        if (pix == null || pix.isNull()) {
            return null;
        }
        try {
            if (warnings[0] != 0 || pixGetColormap(pix) != null) {
                return null;
            }
            int depth = pixGetDepth(pix);
            return depth == 32 ? fromRgbWords(pix) : depth == 8 ? fromGrayBytes(pix) : null;
        } finally {
            pixDestroy(pix);
        }
    }

    /**
     * 32 bpp: one word per pixel, 0xRRGGBBAA in native int order. Rows are copied one at a time (no temporary the
     * size of the image) and every four pixels are written as three big-endian ints, which is faster than twelve
     * single-byte stores.
     */
    private static RgbImage fromRgbWords(PIX pix) {
        int w = pixGetWidth(pix);
        int h = pixGetHeight(pix);
        int wpl = pixGetWpl(pix);
        IntPointer data = pixGetData(pix);
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            data.position((long) y * wpl).get(row);
            int o = y * w * 3;
            int x = 0;
            for (; x + 4 <= w; x += 4, o += 12) {
                int p0 = row[x];
                int p1 = row[x + 1];
                int p2 = row[x + 2];
                int p3 = row[x + 3];
                INT_BE.set(out, o, p0 & 0xFFFFFF00 | p1 >>> 24);             // R0 G0 B0 R1
                INT_BE.set(out, o + 4, p1 << 8 & 0xFFFF0000 | p2 >>> 16);    // G1 B1 R2 G2
                INT_BE.set(out, o + 8, p2 << 16 & 0xFF000000 | p3 >>> 8);    // B2 R3 G3 B3
            }
            for (; x < w; x++, o += 3) {
                int p = row[x];
                out[o] = (byte) (p >>> 24);
                out[o + 1] = (byte) (p >>> 16);
                out[o + 2] = (byte) (p >>> 8);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** 8 bpp: four pixels per word, the leftmost in the most significant byte; gray becomes R = G = B. */
    private static RgbImage fromGrayBytes(PIX pix) {
        int w = pixGetWidth(pix);
        int h = pixGetHeight(pix);
        int wpl = pixGetWpl(pix);
        IntPointer data = pixGetData(pix);
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        int[] row = new int[wpl];
        int o = 0;
        for (int y = 0; y < h; y++) {
            data.position((long) y * wpl).get(row);
            for (int x = 0; x < w; x++, o += 3) {
                byte g = (byte) (row[x >> 2] >>> (24 - ((x & 3) << 3)));
                out[o] = g;
                out[o + 1] = g;
                out[o + 2] = g;
            }
        }
        return new RgbImage(w, h, out);
    }
}
