package dev.kodiak.learn;

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
public final class Recorder implements ResumableCallback<Recorder.State> {
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
    private List<Integer> validItems; // the validation items collected, in the collector's order
    private Smoothed resumedSmoother; // a resumed fit's smoothed loss, taken at its beforeFit instead of a reset

    @Override
    public int order() {
        return -10;
    }

    @Override
    public void beforeFit(Learner learn) {
        if (resumedSmoother != null) {
            smoother.restore(resumedSmoother.average(), resumedSmoother.count());
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
        validItems = new java.util.ArrayList<>();
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
            validItems.addAll(learn.batch().indices());
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
            if (learn.parallel() != null) { // this rank's shard: gather the whole validation set's
                predictions = learn.parallel().gather(predictions,
                        validItems.stream().mapToInt(Integer::intValue).toArray(), learn.dls().valid().size());
            }
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

    /**
     * What the recorder keeps across epochs (a checkpoint stores it): the smoothed loss and the whole history.
     *
     * @param smoother     the smoothed training loss so far
     * @param epochs       the epoch table's rows
     * @param losses       every training batch's loss
     * @param smoothLosses the smoothed loss after each training batch
     * @param lrs          every training batch's learning rates, per group
     * @param moms         every training batch's momentum, per group
     */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(
            com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record State(Smoothed smoother, List<EpochResult> epochs, List<Double> losses, List<Double> smoothLosses,
                        List<double[]> lrs, List<double[]> moms) {
        public State {
            epochs = epochs == null ? List.of() : epochs;
            losses = losses == null ? List.of() : losses;
            smoothLosses = smoothLosses == null ? List.of() : smoothLosses;
            lrs = lrs == null ? List.of() : lrs;
            moms = moms == null ? List.of() : moms;
        }
    }

    /** The exponential moving average of the training loss: its (biased) value and how many losses went in. */
    public record Smoothed(double average, long count) {
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    /** The smoothed loss and the whole history (epoch rows, per-batch losses, learning rates, momentum). */
    @Override
    public State resumeState() {
        return new State(new Smoothed(smoother.average(), smoother.count()), List.copyOf(epochs), List.copyOf(losses),
                List.copyOf(smoothLosses), List.copyOf(lrs), List.copyOf(moms));
    }

    @Override
    public void resume(State saved, boolean midFit) {
        epochs.addAll(saved.epochs());
        if (!saved.epochs().isEmpty()) {
            last = saved.epochs().get(saved.epochs().size() - 1);
        }
        losses.addAll(saved.losses());
        smoothLosses.addAll(saved.smoothLosses());
        lrs.addAll(saved.lrs());
        moms.addAll(saved.moms());
        resumedSmoother = midFit ? saved.smoother() : null;
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
