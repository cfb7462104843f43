package dev.kodiak.learn;

import dev.kodiak.engine.Engine;

import dev.kodiak.engine.ModuleState;
import dev.kodiak.model.ModelFile;
import java.nio.file.Path;

/**
 * Writes the model file whenever the monitored number improves (atomically), and at the end of the fit puts
 * the best weights back into the model, so the learner ends with its best epoch rather than its last.
 */
public final class SaveBestModel implements ResumableCallback<SaveBestModel.State> {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Path file;
    private final Monitor monitor;
    private final boolean restoreBest;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private State resumed; // a resumed fit's best so far, taken at its beforeFit instead of a reset

    /** Watches {@code valid_loss} and restores the best weights at the end. */
    public SaveBestModel(Path file) {
        this(file, "valid_loss", true);
    }

    public SaveBestModel(Path file, String monitor, boolean restoreBest) {
        this.file = file;
        this.monitor = Monitor.of(monitor);
        this.restoreBest = restoreBest;
    }

    @Override
    public int order() {
        return 25;
    }

    @Override
    public void beforeFit(Learner learn) {
        best = resumed != null ? resumed.best() : Double.NaN;
        bestEpoch = resumed != null ? resumed.bestEpoch() : -1;
        resumed = null;
    }

    @Override
    public String resumeKey() {
        return "save_best_model";
    }

    /**
     * What the saver remembers across epochs (a checkpoint stores it).
     *
     * @param best      the best value so far (NaN before the first epoch)
     * @param bestEpoch its epoch (-1 before the first)
     */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(
            com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record State(double best, int bestEpoch) {
    }

    @Override
    public Class<State> stateType() {
        return State.class;
    }

    @Override
    public State resumeState() {
        return new State(best, bestEpoch);
    }

    @Override
    public void resume(State saved, boolean midFit) {
        resumed = midFit ? saved : null;
    }

    @Override
    public void afterEpoch(Learner learn) {
        double value = monitor.value(learn.recorder().lastEpoch());
        if (monitor.improves(value, best, 0)) {
            best = value;
            bestEpoch = learn.epoch();
            if (learn.isMainRank()) { // the ranks hold identical weights: one writes
                ModelFile.write(file, learn.writer().manifest(learn), learn.writer().weights(learn));
            }
        }
    }

    @Override
    public void afterFit(Learner learn) {
        if (restoreBest && bestEpoch >= 0 && bestEpoch != learn.recorder().lastEpoch().epoch()) {
            ModuleState.load(learn.model().module(), ModelFile.read(file).weights(), learn.model().architectureName(),
                    file.toString());
            learn.log().printf("Restored the weights of epoch %d (best %s %.6f) from %s%n", bestEpoch, monitor.name(),
                    best, file);
        }
    }

    /** The epoch with the best value so far in this fit (-1 before the first). */
    public int bestEpoch() {
        return bestEpoch;
    }

    public double best() {
        return best;
    }
}
