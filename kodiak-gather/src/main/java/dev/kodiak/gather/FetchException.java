package dev.kodiak.gather;

import dev.kodiak.KodiakException;

/** A request that failed for good, with the reason a download is rejected for. Internal to the gather package. */
final class FetchException extends KodiakException {
    private static final long serialVersionUID = 1L;
    private final RejectReason reason;
    private final int status;

    FetchException(RejectReason reason, String message) {
        this(reason, message, 0);
    }

    FetchException(RejectReason reason, String message, int status) {
        super(message);
        this.reason = reason;
        this.status = status;
    }

    /** The HTTP status that ended the request, or 0 when there was none (timeout, refused, ...). */
    int status() {
        return status;
    }

    RejectReason reason() {
        return reason;
    }
}
