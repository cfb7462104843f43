package dev.kodiak.learn;

import dev.kodiak.learn.schedule.OneCycle;

/**
 * Sets every parameter group's learning rate and momentum before each training batch from a one-cycle
 * schedule, at the position {@link Learner#pctTrain()} of the current fit.
 */
final class ParamScheduler implements Callback {
    private final double[] peaks;
    private final OneCycle cycle;

    ParamScheduler(double[] peaks, OneCycle cycle) {
        this.peaks = peaks.clone();
        this.cycle = cycle;
    }

    @Override
    public int order() {
        return -20;
    }

    @Override
    public void beforeBatch(Learner learn) {
        if (!learn.training()) {
            return;
        }
        double pos = learn.pctTrain();
        for (int g = 0; g < peaks.length; g++) {
            learn.optimizer().setLr(g, cycle.lrAt(peaks[g], pos));
            learn.optimizer().setMom(g, cycle.momAt(pos));
        }
    }
}
