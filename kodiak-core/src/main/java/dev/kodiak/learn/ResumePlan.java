package dev.kodiak.learn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.KodiakException;
import dev.kodiak.learn.schedule.LrSlice;
import dev.kodiak.learn.schedule.OneCycle;
import dev.kodiak.model.ModelFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The recipe of a fit as plain values in a checkpoint, and how to continue it from there. */
final class ResumePlan {
    private static final String RECIPE = "its recipe";
    private static final String START_AGAIN = " Start the run again without --resume (and delete the checkpoint).";

    private ResumePlan() {
    }

    static Map<String, Object> fineTune(int epochs, double baseLr, int freezeEpochs, double lrMult) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "fine_tune");
        p.put("epochs", epochs);
        p.put("base_lr", baseLr);
        p.put("freeze_epochs", freezeEpochs);
        p.put("lr_mult", lrMult);
        return p;
    }

    static Map<String, Object> fitOneCycle(int epochs, LrSlice lr, OneCycle cycle) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("kind", "fit_one_cycle");
        p.put("epochs", epochs);
        p.put("lr_kind", lr.kind().name());
        p.put("lr_lo", lr.lo());
        p.put("lr_hi", lr.hi());
        p.put("pct_start", cycle.pctStart());
        p.put("div", cycle.div());
        p.put("div_final", cycle.divFinal());
        p.put("mom_start", cycle.momStart());
        p.put("mom_mid", cycle.momMid());
        p.put("mom_end", cycle.momEnd());
        return p;
    }

    /** Where a checkpointed run stands and how it goes on: checked before anything is loaded or trained. */
    sealed interface Position permits FineTunePosition, OneCyclePosition {
        /** The phase and last completed epoch the checkpoint records. */
        String phase();

        int epoch();
    }

    record FineTunePosition(String phase, int epoch, int epochs, double baseLr, int freezeEpochs, double lrMult)
            implements Position {
    }

    record OneCyclePosition(String phase, int epoch, int epochs, LrSlice lr, OneCycle cycle) implements Position {
    }

    /**
     * Reads and checks the position a checkpoint's {@code state} records: a known recipe with valid values, a phase
     * of that recipe, and a last completed epoch within that phase's epochs.
     */
    static Position position(JsonNode state, Path checkpoint) {
        JsonNode recipe = state.get("recipe");
        if (recipe == null || !recipe.isObject() || !recipe.path("kind").isTextual()) {
            throw refused(checkpoint, "it records no training recipe (fine_tune or fit_one_cycle)");
        }
        String phase = state.path("phase").asText("");
        int epoch = integer(state, "epoch", checkpoint, "it");
        String kind = recipe.get("kind").asText();
        Position position;
        int phaseEpochs;
        if (kind.equals("fine_tune")) {
            FineTunePosition p = new FineTunePosition(phase, epoch, integer(recipe, "epochs", checkpoint, RECIPE),
                    positive(recipe, "base_lr", checkpoint), integer(recipe, "freeze_epochs", checkpoint, RECIPE),
                    positive(recipe, "lr_mult", checkpoint));
            if (!phase.equals("frozen") && !phase.equals("unfrozen")) {
                throw refused(checkpoint, "its phase is '" + phase + "', but fine_tune has the phases frozen and unfrozen");
            }
            phaseEpochs = phase.equals("frozen") ? p.freezeEpochs() : p.epochs();
            position = p;
        } else if (kind.equals("fit_one_cycle")) {
            if (!phase.equals("train")) {
                throw refused(checkpoint, "its phase is '" + phase + "', but fit_one_cycle has the phase train");
            }
            position = oneCycle(phase, epoch, recipe, checkpoint);
            phaseEpochs = ((OneCyclePosition) position).epochs();
        } else {
            throw refused(checkpoint, "it has an unknown recipe '" + kind + "' (expected fine_tune or fit_one_cycle)");
        }
        if (phaseEpochs < 1) {
            throw refused(checkpoint, "its recipe gives the " + phase + " phase " + phaseEpochs + " epochs");
        }
        if (epoch < 0 || epoch >= phaseEpochs) {
            throw refused(checkpoint, "its last completed epoch is " + epoch + ", but the " + phase + " phase has "
                    + phaseEpochs + " epoch(s), numbered 0 to " + (phaseEpochs - 1));
        }
        if (state.has("epochs") && !state.get("epochs").equals(recipe.get(phase.equals("frozen") ? "freeze_epochs" : "epochs"))) {
            throw refused(checkpoint, "it says the " + phase + " phase has " + state.get("epochs")
                    + " epochs, but its recipe says " + phaseEpochs);
        }
        return position;
    }

    private static OneCyclePosition oneCycle(String phase, int epoch, JsonNode recipe, Path checkpoint) {
        String lrKind = recipe.path("lr_kind").asText("");
        LrSlice.Kind kind = java.util.Arrays.stream(LrSlice.Kind.values()).filter(k -> k.name().equals(lrKind))
                .findFirst().orElseThrow(() -> refused(checkpoint, "its recipe has lr_kind '" + lrKind
                        + "' (expected SINGLE, HEAD or RANGE)"));
        int epochs = integer(recipe, "epochs", checkpoint, RECIPE);
        double lo = positive(recipe, "lr_lo", checkpoint);
        double hi = positive(recipe, "lr_hi", checkpoint);
        double[] cycle = new double[6];
        String[] keys = {"pct_start", "div", "div_final", "mom_start", "mom_mid", "mom_end"};
        for (int i = 0; i < keys.length; i++) {
            cycle[i] = number(recipe, keys[i], checkpoint);
        }
        try {
            return new OneCyclePosition(phase, epoch, epochs, new LrSlice(kind, lo, hi),
                    new OneCycle(cycle[0], cycle[1], cycle[2], cycle[3], cycle[4], cycle[5]));
        } catch (KodiakException e) {
            throw refused(checkpoint, "its recipe is invalid: " + e.getMessage());
        }
    }

    /**
     * Loads the checkpoint into {@code learn} and runs the rest of its fit: weights, optimizer, callbacks' memory and
     * the random generator first, then the epochs after the last completed one at the same schedule position.
     */
    static void resume(Learner learn, Path checkpoint) {
        ModelFile.Contents contents = ModelFile.read(checkpoint);
        JsonNode state = contents.state().orElseThrow(() -> new KodiakException(checkpoint
                + " is a model file, not a checkpoint: it has no training state to resume"));
        Position position = position(state, checkpoint);
        TrainingState.load(learn, contents, checkpoint);
        int next = position.epoch() + 1;
        // fine-tuning stopped after its last frozen epoch starts the unfrozen fit afresh, as the original run did
        boolean phaseDone = position instanceof FineTunePosition f && f.phase().equals("frozen")
                && next >= f.freezeEpochs();
        JsonNode saved = state.path("callbacks");
        Checkpoint.resumable(learn).forEach((key, cb) -> {
            if (saved.has(key)) {
                cb.resume(saved.get(key), !phaseDone);
            }
        });
        if (!TrainingState.restoreRandomState(state, checkpoint)) {
            learn.log().printf("Note: %s has no random-generator state (an older Kodiak wrote it): the resumed run "
                    + "draws other dropout masks than the interrupted one would have.%n", checkpoint);
        }
        if (position instanceof FineTunePosition f) {
            learn.fineTune(f.epochs(), f.baseLr(), f.freezeEpochs(), f.lrMult(), phaseDone ? "unfrozen" : f.phase(),
                    phaseDone ? 0 : next);
        } else if (position instanceof OneCyclePosition o) {
            learn.phase(o.phase());
            learn.plan(fitOneCycle(o.epochs(), o.lr(), o.cycle()));
            learn.fitOneCycle(o.epochs(), o.lr(), o.cycle(), next);
            learn.phase("train");
        }
    }

    private static int integer(JsonNode node, String key, Path checkpoint, String owner) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw refused(checkpoint, owner + " has no '" + key + "'");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw refused(checkpoint, (owner.equals("it") ? "its" : owner + "'s") + " '" + key + "' is " + v
                    + ", not a whole number");
        }
        return v.asInt();
    }

    private static double number(JsonNode node, String key, Path checkpoint) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw refused(checkpoint, "its recipe has no '" + key + "'");
        }
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) { // a string or NaN is damage, not a default
            throw refused(checkpoint, "its recipe's '" + key + "' is " + v + ", not a finite number");
        }
        return v.asDouble();
    }

    private static double positive(JsonNode node, String key, Path checkpoint) {
        double v = number(node, key, checkpoint);
        if (!(v > 0)) {
            throw refused(checkpoint, String.format(Locale.ROOT, "its recipe's '%s' is %s, not positive", key, v));
        }
        return v;
    }

    private static KodiakException refused(Path checkpoint, String why) {
        return new KodiakException("checkpoint " + checkpoint + " cannot be resumed: " + why + "." + START_AGAIN);
    }
}
