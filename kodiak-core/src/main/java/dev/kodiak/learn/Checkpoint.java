package dev.kodiak.learn;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves the whole training state (weights, optimizer, phase, epoch, and the caller's plan) after every epoch,
 * atomically, so a killed run can continue from its last completed epoch with {@code --resume}.
 */
public final class Checkpoint implements Callback {
    private final Path file;
    private final Map<String, Object> plan;

    /** @param plan whatever the caller needs to rebuild the same learner and schedule (e.g. the CLI's options) */
    public Checkpoint(Path file, Map<String, Object> plan) {
        this.file = file;
        this.plan = new LinkedHashMap<>(plan);
    }

    public Path file() {
        return file;
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public void afterEpoch(Learner learn) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("phase", learn.phase());
        state.put("epoch", learn.epoch());
        state.put("epochs", learn.epochs());
        state.put("plan", plan);
        state.put("recipe", learn.plan());
        state.put("pretrained", learn.pretrainedWith());
        TrainingState.save(learn, file, state);
    }
}
