package dev.kodiak.learn.optim;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: one layer group's parameters and its hyper-parameters. Groups stay one-to-one with the model's
 * layer groups, so discriminative learning rates and momentum schedules set them by index; parameters that
 * must not be decayed carry a weight-decay multiplier of 0 instead of living in a group of their own.
 */
public final class ParamGroup {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final String name;
    private final List<Tensor> params;
    private final double[] wdMultipliers;
    private double lr;
    private double mom;
    private double sqrMom;
    private double eps;
    private double wd;

    ParamGroup(String name, List<Tensor> params, double[] wdMultipliers, double lr, double mom, double sqrMom,
               double eps, double wd) {
        if (params.size() != wdMultipliers.length) {
            throw new IllegalArgumentException("one weight-decay multiplier per parameter");
        }
        this.name = name;
        this.params = List.copyOf(params);
        this.wdMultipliers = wdMultipliers.clone();
        setLr(lr);
        setMom(mom);
        setSqrMom(sqrMom);
        setEps(eps);
        setWd(wd);
    }

    public String name() {
        return name;
    }

    /** The parameters (the optimizer's own handles on the model's tensors). */
    List<Tensor> params() {
        return params;
    }

    public int size() {
        return params.size();
    }

    /** 1 for parameters that take weight decay, 0 for BatchNorm parameters and biases. */
    public double wdMultiplier(int index) {
        return wdMultipliers[index];
    }

    public double lr() {
        return lr;
    }

    /** Momentum: Adam's beta1, SGD's momentum. */
    public double mom() {
        return mom;
    }

    /** Adam's beta2 (unused by SGD). */
    public double sqrMom() {
        return sqrMom;
    }

    public double eps() {
        return eps;
    }

    /** Decoupled weight decay: each step multiplies weights by {@code 1 - lr * wd}. */
    public double wd() {
        return wd;
    }

    void setLr(double value) {
        lr = check("lr", value, 0, Double.MAX_VALUE, true);
    }

    void setMom(double value) {
        mom = check("mom", value, 0, 1, false);
    }

    void setSqrMom(double value) {
        sqrMom = check("sqrMom", value, 0, 1, false);
    }

    void setEps(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new KodiakException("eps of parameter group " + name + " must be positive, got " + value);
        }
        eps = value;
    }

    void setWd(double value) {
        wd = check("wd", value, 0, Double.MAX_VALUE, true);
    }

    private double check(String what, double value, double lo, double hi, boolean hiInclusive) {
        boolean ok = value >= lo && (hiInclusive ? value <= hi : value < hi);
        if (!ok) {
            throw new KodiakException(what + " of parameter group " + name + " must be in [" + lo + ", "
                    + (hiInclusive ? "∞)" : hi + ")") + ", got " + value);
        }
        return value;
    }
}
