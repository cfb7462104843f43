package dev.kodiak.learn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
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
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final JsonNode plan;

    /** A checkpoint without a caller's plan: the caller rebuilds the learner itself before {@link Learner#resume}. */
    public Checkpoint(Path file) {
        this(file, null);
    }

    /**
     * @param plan what the caller needs to rebuild the same learner (e.g. the CLI's options), as a record Jackson
     *             writes (read it back from the checkpoint's {@code plan}); null for none
     */
    public Checkpoint(Path file, Record plan) {
        this.file = file;
        this.plan = plan == null ? null : JSON.valueToTree(plan);
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
        if (!learn.isMainRank()) {
            return; // the ranks hold identical weights and optimizer state: rank 0 writes the checkpoint
        }
        TrainingState.save(learn, file, new TrainingState.Saved(learn.phase(), learn.epoch(), learn.epochs(), plan,
                learn.recipe(), learn.pretrainedWith(), callbackStates(learn)));
    }

    /** What each {@link ResumableCallback} remembers, under its key (#2, #3... for a second one of a kind). */
    static Map<String, JsonNode> callbackStates(Learner learn) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Map.Entry<String, ResumableCallback<?>> e : resumable(learn).entrySet()) {
            out.put(e.getKey(), JSON.valueToTree(e.getValue().resumeState()));
        }
        return out;
    }

    /** Gives each resumable callback what {@code saved} (a checkpoint's {@code callbacks}) holds under its key. */
    static void restoreCallbacks(Learner learn, JsonNode saved, boolean midFit, Path checkpoint) {
        for (Map.Entry<String, ResumableCallback<?>> e : resumable(learn).entrySet()) {
            if (saved.has(e.getKey())) {
                restore(e.getValue(), saved.get(e.getKey()), midFit, e.getKey(), checkpoint);
            }
        }
    }

    private static <S extends Record> void restore(ResumableCallback<S> cb, JsonNode node, boolean midFit, String key,
            Path checkpoint) {
        S state;
        try {
            state = JSON.treeToValue(node, cb.stateType());
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw ResumePlan.refused(checkpoint, "what its callback '" + key + "' remembers is damaged: " + why);
        }
        cb.resume(state, midFit);
    }

    /** The learner's resumable callbacks by checkpoint key, in callback order. */
    static Map<String, ResumableCallback<?>> resumable(Learner learn) {
        Map<String, ResumableCallback<?>> out = new LinkedHashMap<>();
        for (Callback cb : learn.callbackList()) {
            if (cb instanceof ResumableCallback<?> r) {
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
