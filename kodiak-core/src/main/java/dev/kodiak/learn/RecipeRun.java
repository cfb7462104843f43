package dev.kodiak.learn;

import dev.kodiak.learn.schedule.LrSlice;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link Recipe} on a learner, from its start or, after {@link Learner#resume}, from the epoch after the last
 * completed one of a phase, at the same schedule position: the one place where a recipe becomes epochs.
 */
final class RecipeRun {
    private RecipeRun() {
    }

    /** Runs {@code recipe} from its first epoch. */
    static void start(Learner learn, Recipe recipe, List<Callback> extra) {
        from(learn, recipe, null, 0, extra);
    }

    /**
     * Runs {@code recipe} from epoch {@code startEpoch} of {@code startPhase} (null: from the start). A fine_tune
     * continued in its unfrozen phase skips the frozen one.
     */
    static void from(Learner learn, Recipe recipe, String startPhase, int startEpoch, List<Callback> extra) {
        learn.recipe(recipe);
        if (recipe instanceof Recipe.Fit f) {
            learn.ensureOptimizer();
            setWd(learn, f.wd());
            learn.optimizer().setLrs(lrs(learn, f.lr()));
            learn.loop().fit(f.epochs(), startEpoch, extra);
        } else if (recipe instanceof Recipe.FitOneCycle o) {
            oneCycle(learn, o, startEpoch, extra);
        } else if (recipe instanceof Recipe.FineTune t) {
            boolean skipFrozen = Learner.UNFROZEN.equals(startPhase);
            if (t.freezeEpochs() > 0 && !skipFrozen && startEpoch < t.freezeEpochs()) {
                learn.freeze();
                learn.phase(Learner.FROZEN);
                oneCycle(learn, t.frozen(), startEpoch, extra);
            }
            learn.unfreeze();
            learn.phase(Learner.UNFROZEN);
            oneCycle(learn, t.unfrozen(), skipFrozen ? startEpoch : 0, extra);
            learn.phase(Learner.TRAIN);
        }
    }

    private static void oneCycle(Learner learn, Recipe.FitOneCycle o, int startEpoch, List<Callback> extra) {
        learn.ensureOptimizer();
        setWd(learn, o.wd());
        List<Callback> callbacks = new ArrayList<>(extra);
        callbacks.add(new ParamScheduler(lrs(learn, o.lrMax()), o.cycle()));
        learn.loop().fit(o.epochs(), startEpoch, callbacks);
    }

    private static double[] lrs(Learner learn, LrSlice lr) {
        return lr.values(learn.model().parameterGroups().size());
    }

    private static void setWd(Learner learn, Double wd) {
        if (wd != null) {
            for (int g = 0; g < learn.optimizer().groupCount(); g++) {
                learn.optimizer().setWd(g, wd);
            }
        }
    }
}
