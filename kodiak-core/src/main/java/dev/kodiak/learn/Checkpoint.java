package dev.kodiak.learn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.io.AtomicFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Saves the whole training state after every epoch, atomically, so a killed run can continue from its last
 * completed epoch with {@link Learner#resume} ({@code --resume}) and end with the same weights as if it had never
 * stopped: weights and BatchNorm statistics, optimizer moments and step counts, hyper-parameters, phase and epoch,
 * the recipe, libtorch's random generator (dropout), what callbacks remember across epochs (the smoothed loss, early
 * stopping's best value), and the caller's plan. Data order and augmentation need nothing saved: they are drawn from
 * (seed, epoch, item).
 */
public final class Checkpoint implements Callback {
    private final Path file;
    private final Map<String, Object> plan;

    /** @param plan whatever the caller needs to rebuild the same learner and schedule (e.g. the CLI's options) */
    public Checkpoint(Path file, Map<String, Object> plan) {
        this.file = file;
        this.plan = new LinkedHashMap<>(plan);
    }

    /**
     * Checks that the training state a checkpoint saved (its {@code ModelFile} state) can be resumed: a known
     * recipe with valid values, a phase of that recipe, and a last completed epoch within the phase. Throws a
     * {@link dev.kodiak.KodiakException} saying what is wrong otherwise. {@link Learner#resume} checks this too;
     * callers that build a learner from the checkpoint's plan call it first, to fail before that work.
     */
    public static void check(JsonNode state, Path file) {
        ResumePlan.position(state, file);
    }

    public Path file() {
        return file;
    }

    @Override
    public int order() {
        return 30;
    }

    /** A run killed while writing the checkpoint left its temporary file: this run replaces it, so delete it. */
    @Override
    public void beforeFit(Learner learn) {
        AtomicFiles.deleteStaleTemps(file);
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
        state.put("callbacks", callbackStates(learn));
        TrainingState.save(learn, file, state);
    }

    /** What each {@link ResumableCallback} remembers, under its key (#2, #3... for a second one of a kind). */
    static Map<String, Object> callbackStates(Learner learn) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ResumableCallback> e : resumable(learn).entrySet()) {
            out.put(e.getKey(), e.getValue().resumeState());
        }
        return out;
    }

    /** The learner's resumable callbacks by checkpoint key, in callback order. */
    static Map<String, ResumableCallback> resumable(Learner learn) {
        Map<String, ResumableCallback> out = new LinkedHashMap<>();
        for (Callback cb : learn.callbackList()) {
            if (cb instanceof ResumableCallback r) {
                String key = r.resumeKey();
                for (int n = 2; out.containsKey(key); n++) {
                    key = r.resumeKey() + "#" + n;
                }
                out.put(key, r);
            }
        }
        return out;
    }
}
