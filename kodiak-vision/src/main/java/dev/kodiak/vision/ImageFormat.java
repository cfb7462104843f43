package dev.kodiak.vision;

import java.util.Optional;

/** The image formats {@link ImageDecoder} reads, recognised by their first bytes (never by the file name). */
public enum ImageFormat {
    JPEG("jpg"), PNG("png"), GIF("gif"), BMP("bmp"), WEBP("webp");

    private final String extension;

    ImageFormat(String extension) {
        this.extension = extension;
    }

    /** The usual file extension, without the dot, e.g. to rename a PNG that was saved as {@code .jpg}. */
    public String extension() {
        return extension;
    }

    /** The format whose signature {@code head} (the file's first bytes; 16 are enough) starts with. */
    public static Optional<ImageFormat> detect(byte[] head) {
        return Optional.ofNullable(FormatSniffer.signature(head, head.length));
    }
}
