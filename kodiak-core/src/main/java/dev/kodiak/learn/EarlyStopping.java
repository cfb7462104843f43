package dev.kodiak.learn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Stops the fit when the monitored number has not improved for {@code patience} epochs. */
public final class EarlyStopping implements ResumableCallback {
    private final Monitor monitor;
    private final double minDelta;
    private final int patience;
    private double best = Double.NaN;
    private int wait;
    private JsonNode resumed; // a resumed fit's best value and wait, taken at its beforeFit instead of a reset

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
        best = resumed != null ? resumed.path("best").asDouble(Double.NaN) : Double.NaN;
        wait = resumed != null ? resumed.path("wait").asInt() : 0;
        resumed = null;
    }

    @Override
    public String resumeKey() {
        return "early_stopping";
    }

    @Override
    public Map<String, Object> resumeState() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("best", best);
        state.put("wait", wait);
        return state;
    }

    @Override
    public void resume(JsonNode saved, boolean midFit) {
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
