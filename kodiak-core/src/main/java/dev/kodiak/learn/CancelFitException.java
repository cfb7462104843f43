package dev.kodiak.learn;

/** Skips the rest of the fit; afterFit still runs. */
public final class CancelFitException extends CancelException {
    private static final long serialVersionUID = 1L;

    public CancelFitException() {
        this("cancelled");
    }

    public CancelFitException(String reason) {
        super(reason);
    }
}
