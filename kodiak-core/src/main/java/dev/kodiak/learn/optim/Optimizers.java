package dev.kodiak.learn.optim;

import dev.kodiak.KodiakException;
import java.util.Locale;

/** The optimizers a learner can train with, by their usual names. */
public final class Optimizers {
    private Optimizers() {
    }

    /** fastai's default: Adam with decoupled weight decay 0.01 (mom 0.9, sqrMom 0.99, eps 1e-5). */
    public static AdamWOptions adamW() {
        return new AdamWOptions(1e-3, 0.9, 0.99, 1e-5, 0.01, false);
    }

    /** Adam with decoupled weight decay {@code wd}. */
    public static AdamWOptions adamW(double wd) {
        return adamW().withWd(wd);
    }

    /** SGD with momentum 0.9 and no weight decay. */
    public static SgdOptions sgd() {
        return new SgdOptions(1e-3, 0.9, 0, false);
    }

    /** SGD with momentum {@code mom} (0 for plain SGD) and no weight decay. */
    public static SgdOptions sgd(double mom) {
        return sgd().withMom(mom);
    }

    /** SGD with momentum {@code mom} and decoupled weight decay {@code wd}. */
    public static SgdOptions sgd(double mom, double wd) {
        return sgd().withMom(mom).withWd(wd);
    }

    /** For the CLI's {@code --optimizer}: {@code adamw} or {@code sgd}, with their defaults. */
    public static OptimizerFactory byName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "adamw", "adam" -> adamW();
            case "sgd" -> sgd();
            default -> throw new KodiakException("unknown optimizer '" + name + "'; known: adamw, sgd");
        };
    }
}
