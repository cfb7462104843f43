package dev.kodiak.learn;

/** Thrown by a callback to skip the rest of a stage of the training loop (see the subclasses). */
public abstract sealed class CancelException extends RuntimeException
        permits CancelBatchException, CancelStepException, CancelTrainException, CancelValidException, CancelEpochException,
        CancelFitException {
    private static final long serialVersionUID = 1L;

    protected CancelException(String reason) {
        super(reason, null, false, false);
    }
}
