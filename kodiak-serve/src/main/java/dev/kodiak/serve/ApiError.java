package dev.kodiak.serve;

import dev.kodiak.KodiakException;
import dev.kodiak.io.UnusableFileException;
import dev.kodiak.vision.ImageDecodeException;

/**
 * A request the server answers with an error: the HTTP status and a sentence for people, sent as
 * {@code {"error": "..."}} (plus {@code "reason": "too-long"} when the input kind has a code for the problem). Never
 * carries a stack trace to the client.
 */
public final class ApiError extends KodiakException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int retryAfterSeconds;
    private final String reason;

    public ApiError(int status, String message) {
        this(status, message, 0);
    }

    /** With a {@code Retry-After} header of {@code retryAfterSeconds} (when above 0). */
    public ApiError(int status, String message, int retryAfterSeconds) {
        this(status, message, retryAfterSeconds, null);
    }

    private ApiError(int status, String message, int retryAfterSeconds, String reason) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
        this.reason = reason;
    }

    /** The short code of the problem ({@code not-audio}, ...) for clients to act on; null when there is none. */
    public String reason() {
        return reason;
    }

    /**
     * An upload its input kind cannot use (empty, truncated, not of the kind, too long, unsupported): 422 with the
     * kind's reason code, whatever the kind.
     */
    public static ApiError of(UnusableFileException e) {
        return new ApiError(422, e.getMessage(), 0, e.code());
    }

    public int status() {
        return status;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * The status for an image that cannot be decoded: 415 when it is not an image or not a format Kodiak reads,
     * 422 when it is an image Kodiak will not decode (over the pixel limit, truncated, corrupt), 400 when empty.
     */
    public static ApiError of(ImageDecodeException e) {
        int status = switch (e.reason()) {
            case NOT_AN_IMAGE, UNSUPPORTED_FORMAT -> 415;
            case ZERO_BYTES -> 400;
            case TOO_LARGE, TRUNCATED, UNREADABLE -> 422;
        };
        return new ApiError(status, e.getMessage());
    }
}
