package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.data.Batch;
import dev.kodiak.data.DataLoader;
import dev.kodiak.engine.Autocast;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.learn.metrics.Predictions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

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
    Tensor pred;
    Tensor loss;
    Tensor itemLosses;
    double lossValue;

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
                pred = null;
                loss = null;
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
            Iterator<Batch> batches = dataWait.timed(dl.epoch(epoch)); // the recorder reports the time blocked on data
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
            Iterator<Batch> batches = dl.epoch(epoch).iterator();
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
        try {
            fire(Callback::beforeBatch);
            try (Autocast autocast = Autocast.bf16(learn.autocast())) {
                pred = learn.model().forward(batch.x());
                fire(Callback::afterPred);
                // the loss is computed in fp32 whatever precision the forward pass used; in validation once per
                // batch, per item (what the recorder collects), and the batch's loss is their mean
                Tensor out = pred.to(torch.ScalarType.Float);
                itemLosses = train ? null : learn.loss().perItem(out, batch.y());
                loss = train ? learn.loss().mean(out, batch.y()) : itemLosses.mean();
            }
            lossValue = loss.item_float();
            if (!Double.isFinite(lossValue) && train) {
                throw new KodiakException("the training loss became " + lossValue + " at epoch " + epoch + ", batch "
                        + iter + ": the learning rate is probably too high (try lr-find or a smaller --lr)");
            }
            fire(Callback::afterLoss);
            if (train) {
                fire(Callback::beforeBackward);
                loss.backward();
                fire(Callback::afterBackward);
                learn.optimizer().step();
                fire(Callback::afterStep);
                learn.optimizer().zeroGrad();
            }
        } catch (CancelBatchException e) {
            if (train) {
                learn.optimizer().zeroGrad();
            }
        }
        fire(Callback::afterBatch);
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
                    out = out.to(torch.ScalarType.Float);
                    collector.add(decoder.activate(out), b.y(), learn.loss().perItem(out, b.y()));
                }
            }
        }
        return new Evaluation(collector.predictions());
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
