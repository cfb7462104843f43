package dev.kodiak.learn;

/** Skips the rest of this batch (no backward pass or step). */
public final class CancelBatchException extends CancelException {
    private static final long serialVersionUID = 1L;

    public CancelBatchException() {
        this("cancelled");
    }

    public CancelBatchException(String reason) {
        super(reason);
    }
}
