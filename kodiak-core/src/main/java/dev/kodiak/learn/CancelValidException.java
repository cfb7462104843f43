package dev.kodiak.learn;

/** Skips this epoch's validation. */
public final class CancelValidException extends CancelException {
    private static final long serialVersionUID = 1L;

    public CancelValidException() {
        this("cancelled");
    }

    public CancelValidException(String reason) {
        super(reason);
    }
}
