package dev.kodiak.vision;

import dev.kodiak.KodiakException;

import java.nio.file.Path;
import java.util.Optional;

/**
 * An image file that cannot be decoded, with the file and the kind of problem, so that callers such as
 * {@code kodiak verify} can quarantine it and say why. The message reads
 * {@code cannot read image bears/black/00042.jpg: the file ends after 1,204 bytes (truncated download?)}.
 */
public class ImageDecodeException extends KodiakException {
    private static final long serialVersionUID = 1L;

    /** The kind of problem. */
    public enum Reason {
        /** The file is empty (a failed download). */
        ZERO_BYTES,
        /** The file stops before the image data ends (an interrupted download). */
        TRUNCATED,
        /** Not an image at all, e.g. an HTML error page saved under an image name. */
        NOT_AN_IMAGE,
        /** An image in a format Kodiak does not read (TIFF, HEIC, AVIF, SVG, ...). */
        UNSUPPORTED_FORMAT,
        /** Over {@link DecodeLimits}: too many pixels (a decompression bomb?) or too many bytes. */
        TOO_LARGE,
        /** Anything else: corrupt data, a missing file, an I/O error. */
        UNREADABLE
    }

    private final String file;
    private final transient Path path;
    private final Reason reason;
    private final String detail;

    public ImageDecodeException(String file, Path path, Reason reason, String detail, Throwable cause) {
        super("cannot read image " + file + ": " + detail, cause);
        this.file = file;
        this.path = path;
        this.reason = reason;
        this.detail = detail;
    }

    /** The file as named to the decoder (a path, an upload's name, a URL). */
    public String file() {
        return file;
    }

    /** The file's path when it was decoded from one. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    public Reason reason() {
        return reason;
    }

    /** The message without the "cannot read image ..." prefix, e.g. {@code it looks like HTML, not an image}. */
    public String detail() {
        return detail;
    }
}
