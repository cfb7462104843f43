package dev.kodiak.learn.optim;

import java.util.List;

/**
 * Settings of SGD with momentum and decoupled weight decay. Defaults from {@link Optimizers#sgd()}: lr 1e-3
 * (replaced by the fit's schedule), mom 0.9, wd 0, no decay on BatchNorm parameters and biases.
 *
 * @param wdBnBias true to decay BatchNorm parameters and biases too (fastai's {@code wd_bn_bias})
 */
public record SgdOptions(double lr, double mom, double wd, boolean wdBnBias) implements OptimizerFactory {
    /** Adam's beta2 and eps do not exist in SGD; the groups carry placeholders so every optimizer looks alike. */
    private static final double UNUSED_SQR_MOM = 0.99;
    private static final double UNUSED_EPS = 1e-5;

    public SgdOptions {
        OptimizerChecks.lr(lr);
        OptimizerChecks.fraction("mom", mom);
        OptimizerChecks.wd(wd);
    }

    public SgdOptions withLr(double value) {
        return new SgdOptions(value, mom, wd, wdBnBias);
    }

    public SgdOptions withMom(double value) {
        return new SgdOptions(lr, value, wd, wdBnBias);
    }

    public SgdOptions withWd(double value) {
        return new SgdOptions(lr, mom, value, wdBnBias);
    }

    public SgdOptions withWdBnBias(boolean value) {
        return new SgdOptions(lr, mom, wd, value);
    }

    @Override
    public Sgd createFrom(List<List<Param>> groups) {
        return new Sgd(OptimizerChecks.groups(groups, wdBnBias, lr, mom, UNUSED_SQR_MOM, UNUSED_EPS, wd));
    }

    @Override
    public String name() {
        return "sgd";
    }
}
