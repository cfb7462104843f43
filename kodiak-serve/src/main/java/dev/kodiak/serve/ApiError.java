package dev.kodiak.serve;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.ImageDecodeException;

/**
 * A request the server answers with an error: the HTTP status and a sentence for people, sent as
 * {@code {"error": "..."}}. Never carries a stack trace to the client.
 */
public final class ApiError extends KodiakException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int retryAfterSeconds;

    public ApiError(int status, String message) {
        this(status, message, 0);
    }

    /** With a {@code Retry-After} header of {@code retryAfterSeconds} (when above 0). */
    public ApiError(int status, String message, int retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
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
