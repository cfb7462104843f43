package dev.kodiak.gather;

import dev.kodiak.vision.ImageDecodeException;

import java.util.Locale;

/** Why a search result did not become a file in the dataset. */
public enum RejectReason {
    /** Not an http or https address (e.g. {@code file:} or {@code ftp:}), at the start or after a redirect. */
    NOT_HTTP(false),
    /**
     * The address is on this machine or a private network (loopback, 10/8, 192.168/16, link-local, fc00::/7, ...),
     * at the start or after a redirect; allowed only with {@code --allow-private-urls}. Tried again by the next
     * run, so that adding the option fetches it (without it, refusing again costs no request).
     */
    PRIVATE_ADDRESS(true),
    /** More redirects than allowed (or a redirect loop). */
    TOO_MANY_REDIRECTS(false),
    /** The server answered with a client error (404, 403, ...). */
    HTTP_ERROR(false),
    /** The server kept failing (5xx or 429) after every retry. */
    SERVER_ERROR(true),
    /** No complete answer in time, after every retry. */
    TIMEOUT(true),
    /** The connection failed (refused, reset, unknown host), after every retry. */
    NETWORK_ERROR(true),
    /** Over the download's byte limit or the decoder's pixel limit. */
    TOO_LARGE(false),
    /** An empty body. */
    ZERO_BYTES(false),
    /** The image stops early. */
    TRUNCATED(true),
    /** Not an image at all, e.g. an HTML page. */
    NOT_AN_IMAGE(false),
    /** An image in a format Kodiak does not read (TIFF, HEIC, SVG, ...). */
    UNSUPPORTED_FORMAT(false),
    /** Corrupt image data. */
    UNREADABLE(false),
    /** Smaller than {@code --min-size} (known from the search, or after decoding). */
    TOO_SMALL(false);

    private final boolean worthRetrying;

    RejectReason(boolean worthRetrying) {
        this.worthRetrying = worthRetrying;
    }

    /** True when running the same gather again may succeed (a passing failure); false when it never will. */
    public boolean worthRetrying() {
        return worthRetrying;
    }

    /** Lower case, as in JSON and the attempt log: {@code not_an_image}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The reason matching a decoder's. */
    public static RejectReason of(ImageDecodeException.Reason reason) {
        return switch (reason) {
            case ZERO_BYTES -> ZERO_BYTES;
            case TRUNCATED -> TRUNCATED;
            case NOT_AN_IMAGE -> NOT_AN_IMAGE;
            case UNSUPPORTED_FORMAT -> UNSUPPORTED_FORMAT;
            case TOO_LARGE -> TOO_LARGE;
            case UNREADABLE -> UNREADABLE;
        };
    }
}
