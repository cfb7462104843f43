package dev.kodiak.learn;

/**
 * Thrown in {@code beforeStep} to skip this batch's optimizer step <em>and</em> the gradient reset that follows it,
 * so the gradients of the next batches add up to this one's (gradient accumulation). {@code afterStep} and
 * {@code afterBatch} still run; the weights are unchanged.
 */
public final class CancelStepException extends CancelException {
    private static final long serialVersionUID = 1L;

    public CancelStepException() {
        this("cancelled");
    }

    public CancelStepException(String reason) {
        super(reason);
    }
}
