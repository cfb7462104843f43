package dev.kodiak.vision;

/**
 * Where a JPEG's EXIF block and first scan are, and whether its entropy-coded data ends with an EOI marker.
 * Walking the marker segments is cheap (a few dozen jumps) and needs no decoder.
 *
 * @param exifOffset start of the TIFF structure inside the APP1 "Exif" segment, or -1
 * @param exifLength its length in bytes
 * @param scanOffset offset of the first SOS marker, or -1 when the file ends before any scan
 */
record JpegStructure(int exifOffset, int exifLength, int scanOffset) {
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int APP1 = 0xE1;

    static JpegStructure of(byte[] b) {
        int exifOffset = -1;
        int exifLength = 0;
        int i = 2; // after SOI
        while (i + 1 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return new JpegStructure(exifOffset, exifLength, -1); // lost sync: corrupt header
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == SOS) {
                return new JpegStructure(exifOffset, exifLength, i);
            }
            if (marker == EOI) {
                return new JpegStructure(exifOffset, exifLength, -1);
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
            i += 2 + length;
        }
        return new JpegStructure(exifOffset, exifLength, -1);
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
