package dev.kodiak.learn;

/** Stops the fit when the monitored number has not improved for {@code patience} epochs. */
public final class EarlyStopping implements Callback {
    private final Monitor monitor;
    private final double minDelta;
    private final int patience;
    private double best = Double.NaN;
    private int wait;

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
        best = Double.NaN;
        wait = 0;
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
