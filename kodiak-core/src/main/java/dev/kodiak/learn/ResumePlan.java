package dev.kodiak.learn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.KodiakException;
import dev.kodiak.learn.schedule.LrSlice;
import dev.kodiak.learn.schedule.OneCycle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The recipe of a fit as plain values in a checkpoint, and how to continue it from there. */
final class ResumePlan {
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

    static void resume(Learner learn, Path checkpoint) {
        JsonNode state = TrainingState.load(learn, checkpoint);
        JsonNode recipe = state.get("recipe");
        if (recipe == null || !recipe.has("kind")) {
            throw new KodiakException("checkpoint " + checkpoint + " records no training recipe: it cannot be resumed");
        }
        String phase = state.path("phase").asText("train");
        int next = state.path("epoch").asInt(-1) + 1;
        switch (recipe.get("kind").asText()) {
            case "fine_tune" -> {
                int freezeEpochs = recipe.get("freeze_epochs").asInt();
                String startPhase = phase;
                int start = next;
                if ("frozen".equals(phase) && next >= freezeEpochs) {
                    startPhase = "unfrozen";
                    start = 0;
                }
                learn.fineTune(recipe.get("epochs").asInt(), recipe.get("base_lr").asDouble(), freezeEpochs,
                        recipe.get("lr_mult").asDouble(), startPhase, start);
            }
            case "fit_one_cycle" -> {
                LrSlice lr = new LrSlice(LrSlice.Kind.valueOf(recipe.get("lr_kind").asText()),
                        recipe.get("lr_lo").asDouble(), recipe.get("lr_hi").asDouble());
                OneCycle cycle = new OneCycle(recipe.get("pct_start").asDouble(), recipe.get("div").asDouble(),
                        recipe.get("div_final").asDouble(), recipe.get("mom_start").asDouble(),
                        recipe.get("mom_mid").asDouble(), recipe.get("mom_end").asDouble());
                learn.phase(phase);
                learn.plan(fitOneCycle(recipe.get("epochs").asInt(), lr, cycle));
                learn.fitOneCycle(recipe.get("epochs").asInt(), lr, cycle, next);
                learn.phase("train");
            }
            default -> throw new KodiakException("checkpoint " + checkpoint + " has an unknown recipe "
                    + recipe.get("kind").asText());
        }
    }
}
