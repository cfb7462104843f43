package dev.kodiak.learn.optim;

import dev.kodiak.KodiakException;
import java.util.List;

/**
 * Settings of Adam with decoupled weight decay (fastai's default optimizer). Defaults from
 * {@link Optimizers#adamW()}: lr 1e-3 (replaced by the fit's schedule), mom 0.9, sqrMom 0.99, eps 1e-5,
 * wd 0.01, no decay on BatchNorm parameters and biases.
 *
 * @param wdBnBias true to decay BatchNorm parameters and biases too (fastai's {@code wd_bn_bias})
 */
public record AdamWOptions(double lr, double mom, double sqrMom, double eps, double wd, boolean wdBnBias)
        implements OptimizerFactory {
    public AdamWOptions {
        OptimizerChecks.lr(lr);
        OptimizerChecks.fraction("mom", mom);
        OptimizerChecks.fraction("sqrMom", sqrMom);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new KodiakException("eps must be positive, got " + eps);
        }
        OptimizerChecks.wd(wd);
    }

    public AdamWOptions withLr(double value) {
        return new AdamWOptions(value, mom, sqrMom, eps, wd, wdBnBias);
    }

    public AdamWOptions withMom(double value) {
        return new AdamWOptions(lr, value, sqrMom, eps, wd, wdBnBias);
    }

    public AdamWOptions withSqrMom(double value) {
        return new AdamWOptions(lr, mom, value, eps, wd, wdBnBias);
    }

    public AdamWOptions withEps(double value) {
        return new AdamWOptions(lr, mom, sqrMom, value, wd, wdBnBias);
    }

    public AdamWOptions withWd(double value) {
        return new AdamWOptions(lr, mom, sqrMom, eps, value, wdBnBias);
    }

    public AdamWOptions withWdBnBias(boolean value) {
        return new AdamWOptions(lr, mom, sqrMom, eps, wd, value);
    }

    @Override
    public AdamW createFrom(List<List<Param>> groups) {
        return new AdamW(OptimizerChecks.groups(groups, wdBnBias, lr, mom, sqrMom, eps, wd));
    }

    @Override
    public String name() {
        return "adamw";
    }
}
