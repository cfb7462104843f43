package dev.kodiak.vision;

/**
 * Where a JPEG's EXIF block and first scan are, what its frame header says, and whether its entropy-coded data ends
 * with an EOI marker. Walking the marker segments is cheap (a few dozen jumps) and needs no decoder.
 *
 * @param exifOffset start of the TIFF structure inside the APP1 "Exif" segment, or -1
 * @param exifLength its length in bytes
 * @param scanOffset offset of the first SOS marker, or -1 when the file ends before any scan
 * @param frame      the first frame header (SOF segment) before the first scan, or null when there is none
 */
record JpegStructure(int exifOffset, int exifLength, int scanOffset, Frame frame) {
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int APP1 = 0xE1;

    /**
     * A frame header: the image size as the file declares it, before any pixel is decoded.
     *
     * @param marker     the SOF marker's second byte: 0xC0 baseline, 0xC1 extended sequential, 0xC2 progressive
     *                   (all Huffman-coded); 0xC3 lossless; 0xC5-0xC7 hierarchical; 0xC9-0xCF arithmetic-coded
     * @param precision  bits per sample (8 in nearly every file; 12 in some medical and camera-raw previews)
     * @param height     lines; 0 means "given later by a DNL marker"
     * @param width      samples per line
     * @param components 1 gray, 3 YCbCr or RGB, 4 CMYK or YCCK
     */
    record Frame(int marker, int precision, int height, int width, int components) {
        long pixels() {
            return (long) width * height;
        }
    }

    static JpegStructure of(byte[] b) {
        int exifOffset = -1;
        int exifLength = 0;
        Frame frame = null;
        int i = 2; // after SOI
        while (i + 1 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return new JpegStructure(exifOffset, exifLength, -1, frame); // lost sync: corrupt header
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == SOS) {
                return new JpegStructure(exifOffset, exifLength, i, frame);
            }
            if (marker == EOI) {
                return new JpegStructure(exifOffset, exifLength, -1, frame);
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                i += 2; // markers without a length
                continue;
            }
            if (i + 3 >= b.length) {
                break;
            }
            int length = (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
            if (marker == APP1 && exifOffset < 0 && length >= 8 && i + 4 + 6 <= b.length
                    && FormatSniffer.ascii(b, i + 4, 6).equals("Exif\0\0")) {
                exifOffset = i + 10;
                exifLength = Math.min(length - 8, b.length - exifOffset);
            }
            if (frame == null && isStartOfFrame(marker) && length >= 8 && i + 9 < b.length) {
                frame = new Frame(marker, b[i + 4] & 0xFF, u16(b, i + 5), u16(b, i + 7), b[i + 9] & 0xFF);
            }
            i += 2 + length;
        }
        return new JpegStructure(exifOffset, exifLength, -1, frame);
    }

    /** SOF0-SOF15 share C0-CF with DHT (C4), JPG (C8) and DAC (CC), which are not frame headers. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
    }

    /**
     * True when an EOI marker follows the first scan. Inside entropy-coded data a 0xFF byte is always followed by
     * 0x00 or a restart marker, so FF D9 there can only be the end of the image; searching from the end finds it
     * at once in a complete file (data after EOI, which some cameras append, is allowed).
     */
    boolean endsProperly(byte[] b) {
        if (scanOffset < 0) {
            return false;
        }
        for (int i = b.length - 2; i > scanOffset; i--) {
            if (b[i + 1] == (byte) EOI && b[i] == (byte) 0xFF) {
                return true;
            }
        }
        return false;
    }
}
