package dev.kodiak.audio;

import dev.kodiak.io.UnusableFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An audio file that cannot be used, with the file and the kind of problem, so that callers such as
 * {@code kodiak verify} can quarantine it under a reason code and say why. The message reads
 * {@code cannot read audio birds/robin/003.wav: the file holds 0.50 s of the 2.00 s its header declares (truncated
 * download?)}.
 */
public class AudioDecodeException extends UnusableFileException {
    private static final long serialVersionUID = 1L;

    /** The kind of problem; {@link #code()} is the short name quarantine records and reports show. */
    public enum Reason {
        /** No bytes, or a header with no samples after it. */
        EMPTY,
        /** Fewer samples decoded than the header declares (an interrupted download or copy). */
        TRUNCATED,
        /** Not sound at all: text, an HTML page, an image, random bytes, a video without an audio track. */
        NOT_AUDIO,
        /** Longer than the decoder's limit of seconds (checked from the header before decoding everything). */
        TOO_LONG,
        /** Sound in a container or codec Kodiak does not decode. */
        UNSUPPORTED;

        /** The reason as written in reports and quarantine records: {@code empty}, {@code not-audio}, ... */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final transient Path path;
    private final Reason reason;

    public AudioDecodeException(Path path, Reason reason, String detail) {
        super("cannot read audio " + path + ": " + detail, reason.code(), detail);
        this.path = path;
        this.reason = reason;
    }

    public Path path() {
        return path;
    }

    public Reason reason() {
        return reason;
    }
}
