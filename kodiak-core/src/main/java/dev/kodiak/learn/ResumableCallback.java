package dev.kodiak.learn;

/**
 * Internal: a callback that remembers something across the epochs of a fit (a smoothed loss, the best value so
 * far). A {@link Checkpoint} saves that memory after every epoch, and {@link Learner#resume} gives it back, so the
 * continued run reports and decides exactly as the interrupted one would have.
 */
interface ResumableCallback<S extends Record> extends Callback {
    /** The name of this callback's entry in a checkpoint (unique among the learner's callbacks of its kind). */
    String resumeKey();

    /** The record {@link #resumeState} returns (a checkpoint stores it with Jackson). */
    Class<S> stateType();

    /** What to save after an epoch. */
    S resumeState();

    /**
     * Takes back what {@link #resumeState} saved, before the resumed fit starts. {@code midFit} is true when the
     * fit continues where it stopped, false when the next fit starts afresh (fine-tuning stopped after the last
     * frozen epoch): then only a history that spans fits is restored, and {@code beforeFit} resets the rest as usual.
     */
    void resume(S saved, boolean midFit);
}
