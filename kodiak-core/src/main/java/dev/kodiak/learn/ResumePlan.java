package dev.kodiak.learn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.KodiakException;
import dev.kodiak.model.ModelFile;
import java.nio.file.Path;
import java.util.List;

/** Where a checkpointed run stands — its {@link Recipe}, phase and last completed epoch — and how it goes on. */
final class ResumePlan {
    private static final String START_AGAIN = " Start the run again without --resume (and delete the checkpoint).";

    private ResumePlan() {
    }

    /** The recipe of a checkpoint, in its phase, after its last completed epoch: checked before anything is loaded. */
    record Position(Recipe recipe, String phase, int epoch) {
    }

    /**
     * Reads and checks the position a checkpoint's {@code state} records: a known recipe with valid values, a phase
     * of that recipe, and a last completed epoch within that phase's epochs.
     */
    static Position position(JsonNode state, Path checkpoint) {
        JsonNode stored = state.get("recipe");
        if (stored == null || stored.isNull()) {
            throw refused(checkpoint, "it records no training recipe (fit, fit_one_cycle or fine_tune)");
        }
        Recipe recipe;
        try {
            recipe = RecipeJson.read(stored);
        } catch (KodiakException e) {
            throw refused(checkpoint, e.getMessage());
        }
        String phase = state.path("phase").asText("");
        int epoch = integer(state, "epoch", checkpoint);
        List<String> phases = recipe.phases();
        if (!phases.contains(phase)) {
            throw refused(checkpoint, "its phase is '" + phase + "', but " + recipe.name() + " has the phase(s) "
                    + String.join(" and ", phases));
        }
        int phaseEpochs = recipe.epochs(phase);
        if (epoch < 0 || epoch >= phaseEpochs) {
            throw refused(checkpoint, "its last completed epoch is " + epoch + ", but the " + phase + " phase has "
                    + phaseEpochs + " epoch(s), numbered 0 to " + (phaseEpochs - 1));
        }
        if (state.has("epochs") && state.get("epochs").asInt(-1) != phaseEpochs) {
            throw refused(checkpoint, "it says the " + phase + " phase has " + state.get("epochs")
                    + " epochs, but its recipe says " + phaseEpochs);
        }
        return new Position(recipe, phase, epoch);
    }

    /**
     * Loads the checkpoint into {@code learn} and runs the rest of its recipe: weights, optimizer, callbacks' memory
     * and the random generator first, then the epochs after the last completed one at the same schedule position.
     */
    static void resume(Learner learn, Path checkpoint) {
        ModelFile.Contents contents = ModelFile.read(checkpoint);
        JsonNode state = contents.state().orElseThrow(() -> new KodiakException(checkpoint
                + " is a model file, not a checkpoint: it has no training state to resume"));
        Position position = position(state, checkpoint);
        TrainingState.load(learn, contents, checkpoint);
        int next = position.epoch() + 1;
        // fine-tuning stopped after its last frozen epoch starts the unfrozen fit afresh, as the original run did
        boolean phaseDone = position.phase().equals(Learner.FROZEN)
                && next >= position.recipe().epochs(Learner.FROZEN);
        Checkpoint.restoreCallbacks(learn, state.path("callbacks"), !phaseDone, checkpoint);
        if (!TrainingState.restoreRandomState(state, checkpoint)) {
            learn.log().printf("Note: %s has no random-generator state (an older Kodiak wrote it): the resumed run "
                    + "draws other dropout masks than the interrupted one would have.%n", checkpoint);
        }
        learn.phase(position.phase());
        RecipeRun.from(learn, position.recipe(), phaseDone ? Learner.UNFROZEN : position.phase(), phaseDone ? 0 : next,
                List.of());
        learn.phase(Learner.TRAIN);
    }

    private static int integer(JsonNode node, String key, Path checkpoint) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw refused(checkpoint, "it has no '" + key + "'");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw refused(checkpoint, "its '" + key + "' is " + v + ", not a whole number");
        }
        return v.asInt();
    }

    static KodiakException refused(Path checkpoint, String why) {
        return new KodiakException("checkpoint " + checkpoint + " cannot be resumed: " + why + "." + START_AGAIN);
    }
}
