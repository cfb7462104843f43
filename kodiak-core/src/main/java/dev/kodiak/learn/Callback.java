package dev.kodiak.learn;

/**
 * Hooks into the training loop, fastai-style. The loop calls the events in this order:
 * {@code beforeFit} → per epoch {@code beforeEpoch} → {@code beforeTrain} → per batch {@code beforeBatch},
 * {@code afterPred}, {@code afterLoss}, {@code beforeBackward}, {@code afterBackward}, {@code beforeStep}, (the
 * optimizer step), {@code afterStep}, (the gradient reset), {@code afterBatch} → {@code afterTrain} →
 * {@code beforeValidate} → (validation batches: {@code beforeBatch}, {@code afterPred}, {@code afterLoss},
 * {@code afterBatch}) → {@code afterValidate} → {@code afterEpoch} → {@code afterFit}.
 *
 * <p>A callback may throw {@link CancelStepException}, {@link CancelBatchException}, {@link CancelTrainException},
 * {@link CancelValidException}, {@link CancelEpochException} or {@link CancelFitException} to skip the rest of
 * that stage; the matching {@code after...} event still runs ({@code afterStep} after a cancelled step,
 * {@code afterBatch} after a cancelled batch, and so on).
 *
 * <p>Callbacks may also act on the current batch, as fastai's {@code learn.xb}, {@code learn.yb},
 * {@code learn.pred} and {@code learn.loss}: replace the inputs and targets in {@code beforeBatch}
 * ({@link Learner#setInput}, {@link Learner#setTarget}), the predictions in {@code afterPred}
 * ({@link Learner#setPrediction}), and the loss in {@code afterLoss} ({@link Learner#setBatchLoss}; what is recorded
 * and what the backward pass differentiates) or in {@code beforeBackward} (only what is differentiated, e.g. scaled
 * for gradient accumulation). Everything optional (recording, progress, schedules, early stopping, checkpoints,
 * mixed precision, MixUp, gradient accumulation) is a callback; the loop itself stays small.
 */
public interface Callback {
    /** Lower runs first. The recorder (-10) runs before the progress printer (10), which reads what it recorded. */
    default int order() {
        return 0;
    }

    default void beforeFit(Learner learn) {
    }

    default void beforeEpoch(Learner learn) {
    }

    default void beforeTrain(Learner learn) {
    }

    default void beforeBatch(Learner learn) {
    }

    default void afterPred(Learner learn) {
    }

    default void afterLoss(Learner learn) {
    }

    default void beforeBackward(Learner learn) {
    }

    default void afterBackward(Learner learn) {
    }

    /** After the backward pass, before the optimizer step; throw {@link CancelStepException} to skip the step. */
    default void beforeStep(Learner learn) {
    }

    /** After the optimizer step, or after a step cancelled with {@link CancelStepException}. */
    default void afterStep(Learner learn) {
    }

    default void afterBatch(Learner learn) {
    }

    default void afterTrain(Learner learn) {
    }

    default void beforeValidate(Learner learn) {
    }

    default void afterValidate(Learner learn) {
    }

    default void afterEpoch(Learner learn) {
    }

    /** Runs even when the fit was cancelled or failed. */
    default void afterFit(Learner learn) {
    }
}
