package dev.kodiak.learn.optim;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** Validation and group building shared by the optimizer settings records. */
final class OptimizerChecks {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private OptimizerChecks() {
    }

    static void lr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new KodiakException("lr must be a non-negative number, got " + lr);
        }
    }

    static void fraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new KodiakException(name + " must be in [0, 1), got " + value);
        }
    }

    static void wd(double wd) {
        if (!(wd >= 0) || Double.isInfinite(wd)) {
            throw new KodiakException("wd (weight decay) must be a non-negative number, got " + wd);
        }
    }

    static List<ParamGroup> groups(List<List<Param>> groups, boolean wdBnBias, double lr, double mom,
                                   double sqrMom, double eps, double wd) {
        if (groups.isEmpty()) {
            throw new KodiakException("the model has no parameter groups to optimize");
        }
        List<ParamGroup> out = new ArrayList<>(groups.size());
        for (int g = 0; g < groups.size(); g++) {
            List<Param> params = groups.get(g);
            List<Tensor> tensors = new ArrayList<>(params.size());
            double[] wdMult = new double[params.size()];
            for (int i = 0; i < params.size(); i++) {
                tensors.add(NativeTensors.unwrap(params.get(i).tensor()));
                wdMult[i] = params.get(i).bnOrBias() && !wdBnBias ? 0 : 1;
            }
            out.add(new ParamGroup("g" + g, Optimizer.ownHandles(tensors), wdMult, lr, mom, sqrMom, eps, wd));
        }
        return out;
    }
}
