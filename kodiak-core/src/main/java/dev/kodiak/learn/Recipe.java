package dev.kodiak.learn;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kodiak.KodiakException;
import dev.kodiak.learn.schedule.LrSlice;
import dev.kodiak.learn.schedule.OneCycle;
import java.util.Locale;

/**
 * What a learner trains with — fastai's three ways to fit, as values: {@link Fit}, {@link FitOneCycle} and
 * {@link FineTune}. {@link Learner#run} runs one; checkpoints and model files store it by name and version
 * ({@code {"name":"fine_tune","version":1,"epochs":3,...}}), so {@code --resume} continues the same recipe and
 * {@code kodiak info} says how a model was trained. Each record checks its values when it is made.
 */
@JsonDeserialize(using = RecipeJson.Deserializer.class)
public sealed interface Recipe permits Recipe.Fit, Recipe.FitOneCycle, Recipe.FineTune {
    String FIT = "fit";
    String FIT_ONE_CYCLE = "fit_one_cycle";
    String FINE_TUNE = "fine_tune";
    /** The version of every recipe's stored form; a reader refuses versions it does not know. */
    int VERSION = 1;

    /** The recipe's name as stored: {@code fit}, {@code fit_one_cycle} or {@code fine_tune}. */
    @JsonProperty("name")
    String name();

    /** The version of this recipe's stored form ({@value #VERSION}). */
    @JsonProperty("version")
    default int version() {
        return VERSION;
    }

    /** Epochs of the main (for fine_tune: unfrozen) phase. */
    int epochs();

    /** Weight decay for every parameter group, or null to keep the optimizer's (fastai's {@code wd=None}). */
    Double wd();

    /** The phases the recipe runs, in order, e.g. {@code frozen} then {@code unfrozen}. */
    java.util.List<String> phases();

    /** Epochs of {@code phase} (one of {@link #phases()}). */
    int epochs(String phase);

    /** The recipe in words, e.g. {@code fine_tune(3, base_lr=0.002, freeze_epochs=1, lr_mult=100)}. */
    String describe();

    /**
     * The recipe as a sentence, e.g. {@code 1 epoch with the body frozen (one cycle up to 0.002 for the head, 0.0002
     * for the body), then 3 epochs of every layer (one cycle up to 1e-05 for the stem to 0.001 for the head, ...)}.
     */
    String inWords();

    /** fastai's {@code fit(epochs, lr)}: constant per-group learning rates. */
    static Fit fit(int epochs, double lr) {
        return new Fit(epochs, LrSlice.single(lr), null);
    }

    /** fastai's {@code fit_one_cycle(epochs, lr_max)} with its defaults (div 25, div_final 1e5, pct_start 0.25). */
    static FitOneCycle fitOneCycle(int epochs, double lrMax) {
        return new FitOneCycle(epochs, LrSlice.single(lrMax), OneCycle.defaults(), null);
    }

    /** fastai's {@code fine_tune(epochs)}: base_lr 2e-3, one frozen epoch, lr_mult 100, pct_start 0.3, div 5. */
    static FineTune fineTune(int epochs) {
        return fineTune(epochs, FineTune.BASE_LR, FineTune.FREEZE_EPOCHS, FineTune.LR_MULT);
    }

    /** fastai's {@code fine_tune(epochs, base_lr, freeze_epochs, lr_mult)}, other values fastai's defaults. */
    static FineTune fineTune(int epochs, double baseLr, int freezeEpochs, double lrMult) {
        return new FineTune(epochs, baseLr, freezeEpochs, lrMult, FineTune.PCT_START, FineTune.DIV, null);
    }

    /**
     * {@code epochs} epochs at constant per-group learning rates.
     *
     * @param lr per-group learning rates (a single value, {@code slice(hi)} or {@code slice(lo, hi)})
     * @param wd weight decay, or null for the optimizer's
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "version"})
    @JsonDeserialize(using = JsonDeserializer.None.class) // RecipeJson checks name and version, then reads the record
    record Fit(int epochs, LrSlice lr, Double wd) implements Recipe {
        public Fit {
            checkEpochs("fit", "epochs", epochs, 1);
            require(lr != null, "fit needs a learning rate (lr)");
            checkWd(wd);
        }

        @Override
        public String name() {
            return FIT;
        }

        @Override
        public java.util.List<String> phases() {
            return java.util.List.of(Learner.TRAIN);
        }

        @Override
        public int epochs(String phase) {
            return epochs;
        }

        @Override
        public String describe() {
            return "fit(" + epochs + ", lr=" + lr + wdText(wd) + ")";
        }

        @Override
        public String inWords() {
            return epochsText(epochs) + " at a constant " + rates(lr) + wdWords(wd);
        }
    }

    /**
     * fastai's {@code fit_one_cycle}: per-group peak learning rates on the 1cycle schedule over all batches.
     *
     * @param lrMax per-group peak learning rates
     * @param cycle the schedule's shape: pct_start, div, div_final and the momenta
     * @param wd    weight decay, or null for the optimizer's
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "version"})
    @JsonDeserialize(using = JsonDeserializer.None.class) // RecipeJson checks name and version, then reads the record
    record FitOneCycle(int epochs, LrSlice lrMax, OneCycle cycle, Double wd) implements Recipe {
        public FitOneCycle {
            checkEpochs("fit_one_cycle", "epochs", epochs, 1);
            require(lrMax != null, "fit_one_cycle needs a peak learning rate (lr_max)");
            require(cycle != null, "fit_one_cycle needs the cycle's shape (pct_start, div, div_final, moms)");
            checkWd(wd);
        }

        @Override
        public String name() {
            return FIT_ONE_CYCLE;
        }

        @Override
        public java.util.List<String> phases() {
            return java.util.List.of(Learner.TRAIN);
        }

        @Override
        public int epochs(String phase) {
            return epochs;
        }

        @Override
        public String describe() {
            OneCycle d = OneCycle.defaults();
            return "fit_one_cycle(" + epochs + ", lr_max=" + lrMax
                    + (cycle.pctStart() != d.pctStart() ? ", pct_start=" + num(cycle.pctStart()) : "")
                    + (cycle.div() != d.div() ? ", div=" + num(cycle.div()) : "")
                    + (cycle.divFinal() != d.divFinal() ? ", div_final=" + num(cycle.divFinal()) : "")
                    + (cycle.momStart() != d.momStart() || cycle.momMid() != d.momMid() || cycle.momEnd() != d.momEnd()
                    ? ", moms=(" + num(cycle.momStart()) + ", " + num(cycle.momMid()) + ", " + num(cycle.momEnd()) + ")"
                    : "")
                    + wdText(wd) + ")";
        }

        @Override
        public String inWords() {
            return epochsText(epochs) + " of " + cycleWords(this) + wdWords(wd);
        }
    }

    /**
     * fastai's {@code fine_tune}: freeze the body and train the head with one cycle for {@code freezeEpochs} (pct_start
     * 0.99, div 25, body groups at baseLr/10); halve the base LR; unfreeze; train everything for {@code epochs} with
     * one cycle ({@code pctStart}, {@code div}) and discriminative rates from baseLr/2/lrMult (stem) to baseLr/2 (head).
     *
     * @param baseLr       the frozen phase's head learning rate; the unfrozen phase's top rate is half of it
     * @param freezeEpochs epochs with the body frozen (0 for none)
     * @param lrMult       ratio of the unfrozen phase's head rate to its stem rate
     * @param pctStart     the unfrozen phase's warm-up fraction
     * @param div          the unfrozen phase's start-LR divisor
     * @param wd           weight decay, or null for the optimizer's
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "version"})
    @JsonDeserialize(using = JsonDeserializer.None.class) // RecipeJson checks name and version, then reads the record
    record FineTune(int epochs, double baseLr, int freezeEpochs, double lrMult, double pctStart, double div, Double wd)
            implements Recipe {
        static final double BASE_LR = 2e-3;
        static final int FREEZE_EPOCHS = 1;
        static final double LR_MULT = 100;
        static final double PCT_START = 0.3;
        static final double DIV = 5.0;
        /** fastai's fixed warm-up of the frozen phase: almost all of it. */
        static final double FROZEN_PCT_START = 0.99;

        public FineTune {
            checkEpochs("fine_tune", "epochs", epochs, 1);
            checkEpochs("fine_tune", "freeze_epochs", freezeEpochs, 0);
            positive("base_lr", baseLr);
            positive("lr_mult", lrMult);
            require(pctStart >= 0 && pctStart <= 1, "fine_tune's pct_start must be in [0, 1], got " + pctStart);
            positive("div", div);
            checkWd(wd);
        }

        @Override
        public String name() {
            return FINE_TUNE;
        }

        @Override
        public java.util.List<String> phases() {
            return freezeEpochs > 0 ? java.util.List.of(Learner.FROZEN, Learner.UNFROZEN)
                    : java.util.List.of(Learner.UNFROZEN);
        }

        @Override
        public int epochs(String phase) {
            return phase.equals(Learner.FROZEN) ? freezeEpochs : epochs;
        }

        /** The frozen phase: one cycle on {@code slice(baseLr)}, pct_start 0.99. */
        FitOneCycle frozen() {
            return new FitOneCycle(freezeEpochs, LrSlice.of(baseLr), OneCycle.defaults().withPctStart(FROZEN_PCT_START), wd);
        }

        /** The unfrozen phase: one cycle on {@code slice(baseLr/2/lrMult, baseLr/2)}. */
        FitOneCycle unfrozen() {
            double base = baseLr / 2;
            return new FitOneCycle(epochs, LrSlice.of(base / lrMult, base),
                    OneCycle.defaults().withPctStart(pctStart).withDiv(div), wd);
        }

        @Override
        public String describe() {
            return "fine_tune(" + epochs + ", base_lr=" + num(baseLr) + ", freeze_epochs=" + freezeEpochs + ", lr_mult="
                    + num(lrMult) + (pctStart != PCT_START ? ", pct_start=" + num(pctStart) : "")
                    + (div != DIV ? ", div=" + num(div) : "") + wdText(wd) + ")";
        }

        @Override
        public String inWords() {
            String unfrozen = epochsText(epochs) + " of every layer (" + cycleWords(unfrozen()) + ")";
            return (freezeEpochs > 0 ? epochsText(freezeEpochs) + " with the body frozen (" + cycleWords(frozen())
                    + "), then " : "") + unfrozen + wdWords(wd);
        }
    }

    private static String epochsText(int n) {
        return n + (n == 1 ? " epoch" : " epochs");
    }

    private static String rates(LrSlice lr) {
        return switch (lr.kind()) {
            case SINGLE -> "learning rate " + num(lr.hi());
            case HEAD -> "learning rate " + num(lr.hi()) + " for the head, " + num(lr.hi() / 10) + " for the body";
            case RANGE -> "learning rate from " + num(lr.lo()) + " for the stem to " + num(lr.hi()) + " for the head";
        };
    }

    private static String cycleWords(FitOneCycle o) {
        OneCycle c = o.cycle();
        return "one cycle up to " + rates(o.lrMax()) + ", warming up from "
                + "1/" + num(c.div()) + " of it over " + num(Math.round(c.pctStart() * 1000) / 10.0)
                + "% of the batches, then annealing to 1/" + num(c.divFinal()) + "; momentum " + num(c.momStart()) + " → "
                + num(c.momMid()) + " → " + num(c.momEnd());
    }

    private static String wdWords(Double wd) {
        return wd == null ? "" : ", weight decay " + num(wd);
    }

    private static void checkEpochs(String recipe, String key, int value, int min) {
        require(value >= min, recipe + "'s " + key + " must be at least " + min + ", got " + value);
    }

    private static void positive(String key, double value) {
        require(value > 0 && Double.isFinite(value), key + " must be a positive number, got " + value);
    }

    private static void checkWd(Double wd) {
        require(wd == null || wd >= 0 && Double.isFinite(wd), "wd must be a number of at least 0, got " + wd);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new KodiakException(message);
        }
    }

    private static String wdText(Double wd) {
        return wd == null ? "" : ", wd=" + num(wd);
    }

    /** 100.0 as 100, 0.002 as 0.002. */
    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%d", (long) v) : Double.toString(v);
    }
}
