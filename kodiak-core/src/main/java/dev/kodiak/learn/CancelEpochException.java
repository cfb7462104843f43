package dev.kodiak.learn;

/** Skips the rest of this epoch. */
public final class CancelEpochException extends CancelException {
    private static final long serialVersionUID = 1L;

    public CancelEpochException() {
        this("cancelled");
    }

    public CancelEpochException(String reason) {
        super(reason);
    }
}
