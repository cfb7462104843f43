package dev.kodiak.learn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.engine.Engine;
import dev.kodiak.learn.lrfind.LossSmoother;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records what training did: every training batch's loss (raw and smoothed), learning rates and momentum,
 * and one {@link EpochResult} per epoch with the validation loss and metrics over the whole validation set.
 * The train loss shown per epoch is the smoothed one, an exponential moving average (beta 0.98, debiased),
 * as fastai shows it. It also times each epoch's training phase and how much of it the loop spent waiting for
 * batches ({@link EpochResult#dataWaitFraction()}).
 */
public final class Recorder implements ResumableCallback {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final List<Double> losses = new ArrayList<>();
    private final List<Double> smoothLosses = new ArrayList<>();
    private final List<double[]> lrs = new ArrayList<>();
    private final List<double[]> moms = new ArrayList<>();
    private final List<EpochResult> epochs = new ArrayList<>();
    private final LossSmoother smoother = new LossSmoother();
    private PredictionCollector collector;
    private OutputDecoder decoder;
    private long epochStart;
    private boolean inTrain;
    private long trainStart;
    private long trainNanos;
    private long waitNanos;
    private EpochResult last;
    private dev.kodiak.learn.metrics.Predictions lastPredictions;
    private JsonNode resumedSmoother; // a resumed fit's smoothed loss, taken at its beforeFit instead of a reset

    @Override
    public int order() {
        return -10;
    }

    @Override
    public void beforeFit(Learner learn) {
        if (resumedSmoother != null) {
            smoother.restore(resumedSmoother.path("average").asDouble(), resumedSmoother.path("count").asLong());
            resumedSmoother = null;
        } else {
            smoother.reset();
        }
    }

    @Override
    public void beforeEpoch(Learner learn) {
        epochStart = learn.nanoTime();
        collector = null;
        inTrain = false;
        trainNanos = 0;
        waitNanos = 0;
    }

    @Override
    public void beforeTrain(Learner learn) {
        learn.dataWait().reset();
        inTrain = true;
        trainStart = learn.nanoTime();
    }

    @Override
    public void afterTrain(Learner learn) {
        endTrain(learn);
    }

    private void endTrain(Learner learn) {
        if (inTrain) {
            trainNanos = learn.nanoTime() - trainStart;
            waitNanos = learn.dataWait().waitNanos();
            inTrain = false;
        }
    }

    @Override
    public void beforeValidate(Learner learn) {
        collector = new PredictionCollector(learn.dls().target().isIndex());
        decoder = learn.decoder();
    }

    @Override
    public void afterBatch(Learner learn) {
        if (learn.batchLoss() == null) {
            return;
        }
        if (learn.training()) {
            double loss = learn.lossValue();
            losses.add(loss);
            smoothLosses.add(smoother.add(loss));
            int groups = learn.optimizer().groupCount();
            double[] lr = new double[groups];
            double[] mom = new double[groups];
            for (int g = 0; g < groups; g++) {
                lr[g] = learn.optimizer().lr(g);
                mom[g] = learn.optimizer().mom(g);
            }
            lrs.add(lr);
            moms.add(mom);
        } else if (collector != null) {
            // the loop's own per-item losses (computed once, or as a callback replaced them), against the targets the
            // loss saw: the validation loss and top losses are what the batch's loss was
            collector.add(decoder.activate(learn.prediction().toFloat()), learn.target(), learn.itemLosses());
        }
    }

    @Override
    public void afterEpoch(Learner learn) {
        endTrain(learn); // training cancelled with CancelEpochException never reached afterTrain
        double seconds = (learn.nanoTime() - epochStart) / 1e9;
        Map<String, Double> metricValues = new LinkedHashMap<>();
        double validLoss = Double.NaN;
        if (collector != null) {
            var predictions = collector.predictions();
            lastPredictions = predictions;
            if (predictions.n() > 0) {
                validLoss = TrainingLoop.meanLoss(predictions);
                for (var m : learn.metrics()) {
                    metricValues.put(m.name(), m.compute(predictions));
                }
            }
        }
        double trainLoss = smoothLosses.isEmpty() ? Double.NaN : smoothLosses.get(smoothLosses.size() - 1);
        last = new EpochResult(learn.phase(), learn.epoch(), trainLoss, validLoss, metricValues, seconds,
                trainNanos / 1e9, waitNanos / 1e9);
        epochs.add(last);
        collector = null;
    }

    @Override
    public String resumeKey() {
        return "recorder";
    }

    /** The smoothed loss and the whole history (epoch rows, per-batch losses, learning rates, momentum). */
    @Override
    public Map<String, Object> resumeState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("smoother", Map.of("average", smoother.average(), "count", smoother.count()));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EpochResult e : epochs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("phase", e.phase());
            row.put("epoch", e.epoch());
            row.put("train_loss", e.trainLoss());
            row.put("valid_loss", e.validLoss());
            row.put("metrics", e.metrics());
            row.put("seconds", e.seconds());
            row.put("train_seconds", e.trainSeconds());
            row.put("data_wait_seconds", e.dataWaitSeconds());
            rows.add(row);
        }
        state.put("epochs", rows);
        state.put("losses", losses);
        state.put("smooth_losses", smoothLosses);
        state.put("lrs", lrs);
        state.put("moms", moms);
        return state;
    }

    @Override
    public void resume(JsonNode saved, boolean midFit) {
        for (JsonNode e : saved.path("epochs")) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            e.path("metrics").fields().forEachRemaining(m -> metrics.put(m.getKey(), m.getValue().asDouble()));
            last = new EpochResult(e.path("phase").asText(), e.path("epoch").asInt(), e.path("train_loss").asDouble(),
                    e.path("valid_loss").asDouble(), metrics, e.path("seconds").asDouble(),
                    e.path("train_seconds").asDouble(), e.path("data_wait_seconds").asDouble());
            epochs.add(last);
        }
        saved.path("losses").forEach(v -> losses.add(v.asDouble()));
        saved.path("smooth_losses").forEach(v -> smoothLosses.add(v.asDouble()));
        saved.path("lrs").forEach(v -> lrs.add(doubles(v)));
        saved.path("moms").forEach(v -> moms.add(doubles(v)));
        resumedSmoother = midFit && saved.has("smoother") ? saved.get("smoother") : null;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    /** The last epoch's row (null before the first epoch ends). */
    public EpochResult lastEpoch() {
        return last;
    }

    /**
     * The validation predictions of the last epoch (in the validation loader's item order), so reports after
     * training need not run the model over the validation set again; null before the first validation.
     */
    public dev.kodiak.learn.metrics.Predictions lastPredictions() {
        return lastPredictions;
    }

    /** Every epoch of every fit so far. */
    public List<EpochResult> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /**
     * The fraction of all training time recorded so far (every epoch of every fit, e.g. both phases of
     * {@code fineTune}) that the loop spent waiting for training batches; NaN before any training.
     */
    public double dataWaitFraction() {
        return EpochResult.dataWaitFraction(epochs);
    }

    /** Raw loss of every training batch. */
    public List<Double> losses() {
        return Collections.unmodifiableList(losses);
    }

    /** Smoothed loss of every training batch. */
    public List<Double> smoothLosses() {
        return Collections.unmodifiableList(smoothLosses);
    }

    /** Learning rate of {@code group} at every training batch. */
    public List<Double> lrs(int group) {
        List<Double> out = new ArrayList<>(lrs.size());
        for (double[] l : lrs) {
            out.add(l[Math.min(group, l.length - 1)]);
        }
        return out;
    }

    /** Momentum (Adam's beta1) of {@code group} at every training batch. */
    public List<Double> moms(int group) {
        List<Double> out = new ArrayList<>(moms.size());
        for (double[] m : moms) {
            out.add(m[Math.min(group, m.length - 1)]);
        }
        return out;
    }
}
