package dev.kodiak;

/**
 * The one error type users see. Its message says what was wrong, where (file, index, line) and,
 * where possible, what to do about it; the CLI prints the message alone unless asked for a trace.
 */
public class KodiakException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KodiakException(String message) {
        super(message);
    }

    public KodiakException(String message, Throwable cause) {
        super(message, cause);
    }
}
