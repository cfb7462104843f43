package dev.kodiak.learn.callbacks;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.Callback;
import dev.kodiak.learn.CancelStepException;
import dev.kodiak.learn.Learner;

/**
 * Gradient accumulation: one optimizer step per group of {@code n} training batches, as if the batch were n times
 * larger (when memory does not allow it). Each batch's loss is divided by the group's size before the backward pass,
 * so the gradients add up to the mean over the group; the step is cancelled ({@link CancelStepException}) until the
 * group is complete. The last, smaller group of an epoch steps too, divided by its own size. The recorded loss is the
 * batch's own, unscaled. Add it with {@code learn.addCallback(new GradientAccumulation(4))};
 * {@code kodiak train --accumulate 4}.
 *
 * <p>Groups are counted from each epoch's first batch, so a resumed run groups as the uninterrupted one did.
 * BatchNorm still sees the small batches: accumulation matches a larger batch exactly only without it.
 */
public final class GradientAccumulation implements Callback {
    private final int batches;
    private boolean pending; // gradients of a group that has not stepped yet

    /** One step every {@code batches} batches (1: every batch, i.e. no accumulation). */
    public GradientAccumulation(int batches) {
        if (batches < 1) {
            throw new KodiakException("gradient accumulation needs at least 1 batch per step, got " + batches);
        }
        this.batches = batches;
    }

    /** The number of batches per optimizer step. */
    public int batches() {
        return batches;
    }

    @Override
    public void beforeTrain(Learner learn) {
        pending = false;
    }

    @Override
    public void beforeBackward(Learner learn) {
        int size = groupSize(learn);
        if (size > 1) {
            learn.setBatchLoss(learn.batchLoss().div(size)); // only what backward sees: the recorded loss stays
        }
    }

    @Override
    public void beforeStep(Learner learn) {
        int iter = learn.iter();
        if (iter != groupStart(iter) + groupSize(learn) - 1) {
            pending = true;
            throw new CancelStepException("accumulating: batch " + (iter - groupStart(iter) + 1) + " of "
                    + groupSize(learn));
        }
        pending = false;
    }

    @Override
    public void afterTrain(Learner learn) {
        if (pending) {
            // training stopped inside a group (cancelled): its gradients must not leak into the next epoch's first step
            learn.optimizer().zeroGrad();
            pending = false;
        }
    }

    private int groupStart(int iter) {
        return iter - iter % batches;
    }

    private int groupSize(Learner learn) {
        return Math.min(batches, learn.iters() - groupStart(learn.iter()));
    }

    @Override
    public String toString() {
        return "GradientAccumulation(" + batches + ")";
    }
}
