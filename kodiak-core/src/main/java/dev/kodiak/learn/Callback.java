package dev.kodiak.learn;

/**
 * Hooks into the training loop, fastai-style. The loop calls the events in this order:
 * {@code beforeFit} → per epoch {@code beforeEpoch} → {@code beforeTrain} → per batch {@code beforeBatch},
 * {@code afterPred}, {@code afterLoss}, {@code beforeBackward}, {@code afterBackward}, {@code afterStep},
 * {@code afterBatch} → {@code afterTrain} → {@code beforeValidate} → (validation batches: {@code beforeBatch},
 * {@code afterPred}, {@code afterLoss}, {@code afterBatch}) → {@code afterValidate} → {@code afterEpoch} →
 * {@code afterFit}. A callback may throw {@link CancelBatchException}, {@link CancelTrainException},
 * {@link CancelValidException}, {@link CancelEpochException} or {@link CancelFitException} to skip the rest of
 * that stage; the matching {@code after...} event still runs. Everything optional (recording, progress,
 * schedules, early stopping, checkpoints, mixed precision) is a callback; the loop itself stays small.
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
