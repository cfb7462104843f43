package dev.kodiak.learn;

/** Stops the fit when the monitored number has not improved for {@code patience} epochs. */
public final class EarlyStopping implements ResumableCallback<EarlyStopping.State> {
    private final Monitor monitor;
    private final double minDelta;
    private final int patience;
    private double best = Double.NaN;
    private int wait;
    private State resumed; // a resumed fit's best value and wait, taken at its beforeFit instead of a reset

    /** Watches {@code valid_loss}. */
    public EarlyStopping(int patience) {
        this("valid_loss", 0, patience);
    }

    public EarlyStopping(String monitor, double minDelta, int patience) {
        if (patience < 1) {
            throw new dev.kodiak.KodiakException("early-stopping patience must be at least 1, got " + patience);
        }
        this.monitor = Monitor.of(monitor);
        this.minDelta = minDelta;
        this.patience = patience;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public void beforeFit(Learner learn) {
        best = resumed != null ? resumed.best() : Double.NaN;
        wait = resumed != null ? resumed.epochsWaited() : 0;
        resumed = null;
    }

    @Override
    public String resumeKey() {
        return "early_stopping";
    }

    /**
     * What early stopping remembers across epochs (a checkpoint stores it).
     *
     * @param best the best value so far (NaN before the first epoch)
     * @param epochsWaited epochs since it improved (stored as {@code wait})
     */
    public record State(double best, @com.fasterxml.jackson.annotation.JsonProperty("wait") int epochsWaited) {
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public State resumeState() {
        return new State(best, wait);
    }

    @Override
    public void resume(State saved, boolean midFit) {
        resumed = midFit ? saved : null;
    }

    @Override
    public void afterEpoch(Learner learn) {
        double value = monitor.value(learn.recorder().lastEpoch());
        if (monitor.improves(value, best, minDelta)) {
            best = value;
            wait = 0;
        } else if (++wait >= patience) {
            learn.log().printf("No improvement of %s for %d epochs: stopping early.%n", monitor.name(), patience);
            throw new CancelFitException("early stopping");
        }
    }
}
