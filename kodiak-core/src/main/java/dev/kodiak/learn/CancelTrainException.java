package dev.kodiak.learn;

/** Skips the rest of this epoch's training. */
public final class CancelTrainException extends CancelException {
    private static final long serialVersionUID = 1L;

    public CancelTrainException() {
        this("cancelled");
    }

    public CancelTrainException(String reason) {
        super(reason);
    }
}
