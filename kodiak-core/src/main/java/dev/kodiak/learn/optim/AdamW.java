package dev.kodiak.learn.optim;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Internal: fastai's Adam with true (decoupled) weight decay. For a parameter p with gradient g, at its t-th
 * update:
 * <pre>
 *   p        ← p · (1 − lr·wd)                                  (skipped for BatchNorm parameters and biases)
 *   exp_avg  ← mom·exp_avg + (1 − mom)·g
 *   exp_avg_sq ← sqrMom·exp_avg_sq + (1 − sqrMom)·g²
 *   p        ← p − lr / (1 − mom^t) · exp_avg / (sqrt(exp_avg_sq / (1 − sqrMom^t)) + eps)
 * </pre>
 * The bias corrections use the current momentum, which one-cycle training changes every batch, as fastai does.
 * Float32 parameters go through libtorch's fused AdamW kernel ({@link FusedAdamW}: one pass over memory). Any
 * other parameter is updated with tensor operations, the last line computed as {@code p − lr·sqrt(1 − sqrMom^t)/
 * (1 − mom^t) · exp_avg / (sqrt(exp_avg_sq) + eps·sqrt(1 − sqrMom^t))} (the same value) in a scratch buffer
 * reused by every parameter.
 * Built by {@link Optimizers#adamW()}.
 */
public final class AdamW extends Optimizer {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final List<String> BUFFERS = List.of("exp_avg", "exp_avg_sq");

    // Holds sqrt(exp_avg_sq) + eps' for one parameter at a time; as large as the largest parameter.
    private Tensor scratch;

    AdamW(List<ParamGroup> groups) {
        super(groups);
    }

    @Override
    List<String> bufferNames() {
        return BUFFERS;
    }

    @Override
    void stepGroup(int groupIndex, ParamGroup group, StepScope scope) {
        double lr = group.lr();
        double mom = group.mom();
        double sqrMom = group.sqrMom();
        FusedAdamW fused = FusedAdamW.available() ? new FusedAdamW() : null;
        // Scalars shared by the group's parameters: a handful of native objects per group, not per parameter.
        Scalar gradWeight = null;
        Scalar sqrKeep = null;
        Scalar sqrWeight = null;
        for (int i = 0; i < group.size(); i++) {
            Tensor p = group.params().get(i);
            Tensor grad = p.grad();
            if (!grad.defined()) {
                continue;
            }
            ParamState st = state(groupIndex, i, p, scope);
            st.step++;
            double wd = group.wd() * group.wdMultiplier(i);
            Tensor expAvg = st.buffers[0];
            Tensor expAvgSq = st.buffers[1];
            if (fused != null && FusedAdamW.accepts(p, grad, expAvg, expAvgSq)) {
                fused.add(wd, p, grad, expAvg, expAvgSq, st.stepTensor());
                continue;
            }
            if (gradWeight == null) {
                gradWeight = new Scalar(1 - mom);
                sqrKeep = new Scalar(sqrMom);
                sqrWeight = new Scalar(1 - sqrMom);
            }
            double decay = lr * wd;
            if (decay != 0) {
                p.mul_(new Scalar(1 - decay));
            }
            expAvg.lerp_(grad, gradWeight);
            expAvgSq.mul_(sqrKeep).addcmul_(grad, grad, sqrWeight);
            double debias1 = 1 - Math.pow(mom, st.step);
            double debias2 = 1 - Math.pow(sqrMom, st.step);
            double rootDebias2 = Math.sqrt(debias2);
            Tensor denom = torch.sqrt_out(scratchLike(expAvgSq), expAvgSq).add_(new Scalar(group.eps() * rootDebias2));
            p.addcdiv_(expAvg, denom, new Scalar(-lr * rootDebias2 / debias1));
        }
        if (fused != null) {
            fused.run(lr, mom, sqrMom, group.eps());
        }
    }

    // A view of the scratch buffer with t's shape and strides (channels-last weights stay channels-last).
    private Tensor scratchLike(Tensor t) {
        long numel = t.numel();
        if (scratch == null || scratch.numel() < numel) {
            if (scratch != null) {
                scratch.close();
            }
            scratch = t.new_empty(numel);
            scratch.retainReference();
        }
        return scratch.as_strided(t.sizes(), t.strides());
    }

    @Override
    void releaseScratch() {
        if (scratch != null) {
            scratch.close();
            scratch = null;
        }
    }
}
