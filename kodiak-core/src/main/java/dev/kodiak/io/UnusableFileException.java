package dev.kodiak.io;

import dev.kodiak.KodiakException;

/**
 * A file (or an upload) of some input kind that cannot be used, with a short reason code ({@code empty},
 * {@code truncated}, {@code not-audio}, {@code too-long}, {@code unsupported}, ...) so that callers that know no file
 * formats — a server answering 422, a report — can say why without knowing the kind.
 */
public class UnusableFileException extends KodiakException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String detail;

    /**
     * A file that cannot be used, and why.
     *
     * @param message the whole sentence, naming the file
     * @param code    the reason code, lower case with dashes
     * @param detail  the problem in words, without the file's name
     */
    public UnusableFileException(String message, String code, String detail) {
        super(message);
        if (code == null || code.isBlank()) {
            throw new KodiakException("an unusable file needs a reason code (e.g. truncated)");
        }
        this.code = code;
        this.detail = detail == null ? "" : detail;
    }

    /** The reason code, e.g. {@code too-long}. */
    public String code() {
        return code;
    }

    /** The problem in words, without the file's name. */
    public String detail() {
        return detail;
    }
}
