package dev.kodiak.vision;

import dev.kodiak.vision.ImageDecodeException.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Recognises what a file really is from its first bytes: one of the readable formats, or why not. */
final class FormatSniffer {
    /** Either {@code format} is set, or {@code reason} and {@code detail} say why the file cannot be decoded. */
    record Verdict(ImageFormat format, Reason reason, String detail) {
    }

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    private FormatSniffer() {
    }

    /** The readable format {@code b[0..n)} starts with, or null. */
    static ImageFormat signature(byte[] b, int n) {
        if (startsWith(b, n, JPEG_SIGNATURE)) {
            return ImageFormat.JPEG;
        }
        if (startsWith(b, n, PNG_SIGNATURE)) {
            return ImageFormat.PNG;
        }
        if (n >= 6 && ascii(b, 0, 4).equals("GIF8") && (b[4] == '7' || b[4] == '9') && b[5] == 'a') {
            return ImageFormat.GIF;
        }
        if (n >= 12 && ascii(b, 0, 4).equals("RIFF") && ascii(b, 8, 4).equals("WEBP")) {
            return ImageFormat.WEBP;
        }
        if (n >= 18 && b[0] == 'B' && b[1] == 'M' && isBmpInfoHeaderSize(le32(b, 14))) {
            return ImageFormat.BMP; // the info-header size check keeps text starting with "BM" out
        }
        return null;
    }

    static Verdict sniff(byte[] b) {
        int n = b.length;
        ImageFormat format = signature(b, n);
        if (format != null) {
            return new Verdict(format, null, null);
        }
        if (n < 18 && isPrefixOfSignature(b, n)) {
            return new Verdict(null, Reason.TRUNCATED, truncatedDetail(n));
        }
        String unsupported = unsupportedImage(b, n);
        if (unsupported != null) {
            return new Verdict(null, Reason.UNSUPPORTED_FORMAT, "it is " + unsupported
                    + ", a format Kodiak does not read (it reads JPEG, PNG, GIF, BMP and WebP); convert or remove it");
        }
        return new Verdict(null, Reason.NOT_AN_IMAGE, notAnImage(b, n));
    }

    static String truncatedDetail(long length) {
        return String.format(Locale.ROOT, "the file ends after %,d bytes (truncated download?)", length);
    }

    private static String unsupportedImage(byte[] b, int n) {
        if (n >= 4 && (ascii(b, 0, 4).equals("II*\0") || ascii(b, 0, 4).equals("MM\0*"))) {
            return "a TIFF image";
        }
        if (n >= 12 && ascii(b, 4, 4).equals("ftyp")) {
            String brand = ascii(b, 8, 4);
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.equals("msf1")) {
                return "a HEIC image (the iPhone's format)";
            }
            if (brand.startsWith("avi")) {
                return "an AVIF image";
            }
            return null; // other ISO media: a video, reported below
        }
        if (n >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 1 && b[3] == 0) {
            return "a Windows icon (ICO)";
        }
        if (n >= 4 && ascii(b, 0, 4).equals("8BPS")) {
            return "a Photoshop document (PSD)";
        }
        if (n >= 12 && ascii(b, 4, 8).equals("jP  \r\n\u0087\n")) {
            return "a JPEG 2000 image";
        }
        if (n >= 2 && (b[0] & 0xFF) == 0xFF && b[1] == 0x0A || n >= 12 && ascii(b, 4, 4).equals("JXL ")) {
            return "a JPEG XL image";
        }
        String text = textStart(b, n).toLowerCase(Locale.ROOT);
        if (text.startsWith("<svg") || text.startsWith("<?xml") && text.contains("<svg")) {
            return "an SVG (vector) image";
        }
        return null;
    }

    private static String notAnImage(byte[] b, int n) {
        String text = textStart(b, n);
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.startsWith("<head")
                || lower.startsWith("<body") || lower.startsWith("<") && lower.contains("<html")) {
            return "it looks like HTML, not an image (a web page or error page saved under an image name?)";
        }
        if (lower.startsWith("<?xml") || lower.startsWith("<")) {
            return "it looks like XML or HTML, not an image";
        }
        if (lower.startsWith("{") || lower.startsWith("[")) {
            return "it looks like JSON, not an image (a server's error response?)";
        }
        if (n >= 4 && ascii(b, 0, 4).equals("%PDF")) {
            return "it is a PDF document, not an image";
        }
        if (n >= 4 && ascii(b, 0, 4).equals("PK\u0003\u0004")) {
            return "it is a ZIP archive, not an image";
        }
        if (n >= 2 && (b[0] & 0xFF) == 0x1F && (b[1] & 0xFF) == 0x8B) {
            return "it is gzip-compressed data, not an image";
        }
        if (n >= 12 && ascii(b, 4, 4).equals("ftyp")) {
            return "it looks like a video (ISO media, brand " + ascii(b, 8, 4).trim() + "), not an image";
        }
        if (looksLikeText(b, n)) {
            String line = text.lines().findFirst().orElse("");
            return "it looks like text, not an image (it starts with \""
                    + (line.length() > 40 ? line.substring(0, 40) + "..." : line) + "\")";
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, n); i++) {
            hex.append(String.format(Locale.ROOT, "%s%02X", i == 0 ? "" : " ", b[i] & 0xFF));
        }
        return "it is not in a known image format (it starts with bytes " + hex + ")";
    }

    private static boolean isPrefixOfSignature(byte[] b, int n) {
        return startsWithPartially(b, n, JPEG_SIGNATURE) || startsWithPartially(b, n, PNG_SIGNATURE)
                || startsWithPartially(b, n, "GIF8".getBytes(StandardCharsets.US_ASCII))
                || startsWithPartially(b, n, "RIFF".getBytes(StandardCharsets.US_ASCII)) || n >= 2 && b[0] == 'B'
                && b[1] == 'M' && !looksLikeText(b, n);
    }

    /** The first 1 KiB as text, after a byte-order mark and leading white space. */
    private static String textStart(byte[] b, int n) {
        int start = n >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        String s = new String(b, start, Math.max(0, Math.min(n, 1024) - start), StandardCharsets.UTF_8);
        return s.strip();
    }

    private static boolean looksLikeText(byte[] b, int n) {
        int m = Math.min(n, 512);
        if (m == 0) {
            return false;
        }
        int printable = 0;
        for (int i = 0; i < m; i++) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                return false;
            }
            if (c >= 0x20 && c != 0x7F || c == '\t' || c == '\n' || c == '\r') {
                printable++;
            }
        }
        return printable >= m * 0.95;
    }

    private static boolean isBmpInfoHeaderSize(long size) {
        return size == 12 || size == 16 || size == 40 || size == 52 || size == 56 || size == 64 || size == 108
                || size == 124;
    }

    private static boolean startsWith(byte[] b, int n, byte[] sig) {
        if (n < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if (b[i] != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithPartially(byte[] b, int n, byte[] sig) {
        int m = Math.min(n, sig.length);
        for (int i = 0; i < m; i++) {
            if (b[i] != sig[i]) {
                return false;
            }
        }
        return m > 0;
    }

    static String ascii(byte[] b, int from, int len) {
        return new String(b, from, Math.max(0, Math.min(len, b.length - from)), StandardCharsets.ISO_8859_1);
    }

    static long le32(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
    }
}
