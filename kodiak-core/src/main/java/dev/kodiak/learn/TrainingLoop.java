package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Batch;
import dev.kodiak.data.DataLoader;
import dev.kodiak.engine.Autocast;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.bytedeco.pytorch.NoGradGuard;

/**
 * The loop itself: epochs of training batches then validation, firing the callback events. Kept small on
 * purpose: schedules, recording, progress, precision and checkpoints are callbacks.
 */
final class TrainingLoop {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Learner learn;
    final DataWaitClock dataWait;
    int epoch;
    int nEpoch;
    int iter;
    int nIter;
    double pctTrain;
    boolean training;
    Batch batch;
    // the current batch as callbacks may replace it (fastai's xb, yb, pred, loss); null outside its window
    Tensor input;
    Tensor target;
    Tensor pred;
    Tensor loss;
    Tensor itemLosses; // validation only: one loss per item, the loss is their mean
    double lossValue;
    Moment moment = Moment.NONE;

    TrainingLoop(Learner learn) {
        this.learn = learn;
        this.dataWait = new DataWaitClock(learn::nanoTime);
    }

    void fit(int epochs, int startEpoch, List<Callback> extra) {
        List<Callback> added = new ArrayList<>(extra);
        added.forEach(learn::addCallback);
        nEpoch = epochs;
        try {
            fire(Callback::beforeFit);
            for (epoch = startEpoch; epoch < epochs; epoch++) {
                try {
                    fire(Callback::beforeEpoch);
                    train();
                    validate();
                } catch (CancelEpochException e) {
                    // skip to afterEpoch
                }
                fire(Callback::afterEpoch);
            }
        } catch (CancelFitException e) {
            // the fit ends early; afterFit still runs
        } finally {
            try {
                fire(Callback::afterFit);
            } finally {
                added.forEach(learn::removeCallback);
                batch = null;
                clearBatch();
            }
        }
    }

    private void train() {
        DataLoader<?> dl = learn.dls().train();
        nIter = dl.batchCount();
        if (nIter == 0) {
            throw new KodiakException("the training set has " + dl.size() + " items, fewer than one batch of "
                    + dl.batchSize() + ": use a smaller batch size (--bs)");
        }
        training = true;
        learn.model().module().train(true);
        try {
            fire(Callback::beforeTrain);
            Iterator<Batch> batches = dataWait.timed(dl.epoch(epoch, learn.rank(), learn.worldSize())); // the recorder reports the time blocked on data
            for (iter = 0; iter < nIter && batches.hasNext(); iter++) {
                pctTrain = (epoch + (double) iter / nIter) / nEpoch;
                try (StepScope scope = StepScope.open()) {
                    batch = batches.next();
                    oneBatch(true);
                }
            }
            pctTrain = (epoch + 1.0) / nEpoch;
        } catch (CancelTrainException e) {
            // skip the rest of training in this epoch
        }
        fire(Callback::afterTrain);
    }

    private void validate() {
        DataLoader<?> dl = learn.dls().valid();
        training = false;
        learn.model().module().train(false);
        try (NoGradGuard noGrad = new NoGradGuard()) {
            fire(Callback::beforeValidate);
            nIter = dl.batchCount();
            Iterator<Batch> batches = dl.epoch(epoch, learn.rank(), learn.worldSize()).iterator();
            for (iter = 0; batches.hasNext(); iter++) {
                try (StepScope scope = StepScope.open()) {
                    batch = batches.next();
                    oneBatch(false);
                }
            }
        } catch (CancelValidException e) {
            // skip the rest of validation
        }
        fire(Callback::afterValidate);
    }

    private void oneBatch(boolean train) {
        clearBatch(); // a cancelled batch must not show the previous batch's (freed) tensors
        input = batch.x();
        target = batch.y();
        try {
            fire(Moment.BEFORE_BATCH, Callback::beforeBatch);
            try (Autocast autocast = Autocast.bf16(learn.autocast())) {
                pred = learn.model().forward(input);
                fire(Moment.AFTER_PRED, Callback::afterPred);
                // the loss is computed in fp32 whatever precision the forward pass used
                Tensor out = pred.toFloat();
                if (train) {
                    loss = learn.loss().mean(out, target);
                } else {
                    itemLosses = learn.loss().perItem(out, target); // once: the recorder keeps these for top losses
                    loss = itemLosses.mean();
                }
            }
            lossValue = loss.item();
            fire(Moment.AFTER_LOSS, Callback::afterLoss);
            lossValue = loss.item(); // what is recorded: the loss as afterLoss left it
            if (!Double.isFinite(lossValue) && train) {
                throw new KodiakException("the training loss became " + lossValue + " at epoch " + epoch + ", batch "
                        + iter + ": the learning rate is probably too high (try lr-find or a smaller --lr)");
            }
            if (train) {
                fire(Moment.BEFORE_BACKWARD, Callback::beforeBackward);
                DataParallel parallel = learn.parallel();
                if (parallel != null) {
                    parallel.backward(learn, loss); // gradients averaged over the ranks while backward runs
                } else {
                    loss.backward();
                }
                fire(Callback::afterBackward);
                boolean stepped = true;
                try {
                    fire(Callback::beforeStep);
                    learn.optimizer().step();
                } catch (CancelStepException e) {
                    stepped = false; // the gradients stay for the next batches to add to
                }
                fire(Callback::afterStep);
                if (stepped) {
                    learn.optimizer().zeroGrad();
                }
            }
        } catch (CancelBatchException e) {
            if (train) {
                learn.optimizer().zeroGrad();
            }
        }
        fire(Callback::afterBatch);
    }

    /**
     * Replaces the current batch's loss. Training: one number, what backward differentiates. Validation: one
     * number counted for every item, or one loss per item; the items' losses are what is recorded (their mean is
     * the validation loss, each one a top-loss candidate), so the recorded loss is always the replaced one.
     */
    void replaceLoss(Tensor l) {
        replace(Moment.AFTER_LOSS, "setBatchLoss", () -> {
            long[] shape = l.shape();
            if (training) {
                if (l.numel() != 1) {
                    throw new KodiakException("a training batch's loss must be one number (e.g. the mean over the "
                            + "batch) to run backward on, got a tensor of shape " + java.util.Arrays.toString(shape));
                }
                if (loss.requiresGrad() && !l.requiresGrad()) {
                    throw new KodiakException("the replacement training loss has no gradient to the model's weights: "
                            + "compute it from learn.prediction() (e.g. with learn.lossPerItem), not from plain numbers");
                }
                loss = l.reshape();
                return;
            }
            long items = itemLosses.size(0);
            if (l.numel() == 1) {
                loss = l.reshape().toFloat();
                itemLosses = loss.reshape(1).mul(Tensor.ones(items));
            } else if (shape.length == 1 && shape[0] == items) {
                itemLosses = l.toFloat();
                loss = itemLosses.mean();
            } else {
                throw new KodiakException("a validation batch's loss must be one number or one per item (shape ["
                        + items + "]), got a tensor of shape " + java.util.Arrays.toString(shape));
            }
        });
    }

    private void clearBatch() {
        input = null;
        target = null;
        pred = null;
        loss = null;
        itemLosses = null;
    }

    /** Replaces part of the current batch for the rest of the batch; {@code what} must be settable now. */
    void replace(Moment allowed, String what, Runnable set) {
        if (moment != allowed && !(allowed == Moment.AFTER_LOSS && moment == Moment.BEFORE_BACKWARD)) {
            throw new KodiakException(what + " can only be called " + allowed.when
                    + (moment == Moment.NONE ? "" : ", not " + moment.when)
                    + " (the batch is read at fixed points of the loop): move the call to the callback's "
                    + allowed.event + " method");
        }
        set.run();
    }

    /** Runs the model over a whole loader in eval mode and collects what metrics need. */
    Evaluation evaluate(DataLoader<?> dl) {
        learn.model().module().train(false);
        PredictionCollector collector = new PredictionCollector(learn.dls().target().isIndex());
        OutputDecoder decoder = learn.decoder();
        try (NoGradGuard noGrad = new NoGradGuard()) {
            Iterator<? extends Batch> batches = dl.epoch(0).iterator();
            while (batches.hasNext()) {
                try (StepScope scope = StepScope.open()) {
                    Batch b = batches.next();
                    Tensor out;
                    try (Autocast autocast = Autocast.bf16(learn.autocast())) {
                        out = learn.model().forward(b.x());
                    }
                    out = out.toFloat();
                    collector.add(decoder.activate(out), b.y(), learn.loss().perItem(out, b.y()));
                }
            }
        }
        return new Evaluation(collector.predictions());
    }

    /** Fires {@code event} while the learner's setters for {@code m} are open. */
    private void fire(Moment m, BiConsumer<Callback, Learner> event) {
        moment = m;
        try {
            fire(event);
        } finally {
            moment = Moment.NONE;
        }
    }

    private void fire(BiConsumer<Callback, Learner> event) {
        for (Callback cb : learn.callbackList().toArray(new Callback[0])) {
            event.accept(cb, learn);
        }
    }

    /** Mean of the per-item losses (NaN for no items). */
    static double meanLoss(Predictions p) {
        if (p.n() == 0 || p.losses() == null) {
            return Double.NaN;
        }
        double sum = 0;
        for (float l : p.losses()) {
            sum += l;
        }
        return sum / p.n();
    }

    /** The events during which a callback may replace part of the current batch. */
    enum Moment {
        NONE("", ""),
        BEFORE_BATCH("in beforeBatch", "beforeBatch"),
        AFTER_PRED("in afterPred", "afterPred"),
        AFTER_LOSS("in afterLoss or beforeBackward", "afterLoss"),
        BEFORE_BACKWARD("in beforeBackward", "beforeBackward");

        final String when;
        final String event;

        Moment(String when, String event) {
            this.when = when;
            this.event = event;
        }
    }

    /** What one pass over a loader produced. */
    record Evaluation(Predictions predictions) {
        ValidationResult result(List<Metric> metrics) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (Metric m : metrics) {
                values.put(m.name(), m.compute(predictions));
            }
            return new ValidationResult(meanLoss(predictions), values, predictions.n());
        }
    }
}
