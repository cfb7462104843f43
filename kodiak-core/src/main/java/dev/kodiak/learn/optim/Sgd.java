package dev.kodiak.learn.optim;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Internal: fastai's SGD with momentum and decoupled weight decay. For a parameter p with gradient g:
 * <pre>
 *   p               ← p · (1 − lr·wd)                          (skipped for BatchNorm parameters and biases)
 *   momentum_buffer ← mom·momentum_buffer + g                  (no dampening)
 *   p               ← p − lr·momentum_buffer
 * </pre>
 * With {@code mom = 0} this is plain SGD. Built by {@link Optimizers#sgd()}.
 */
public final class Sgd extends Optimizer {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final List<String> BUFFERS = List.of("momentum_buffer");

    Sgd(List<ParamGroup> groups) {
        super(groups);
    }

    @Override
    List<String> bufferNames() {
        return BUFFERS;
    }

    @Override
    void stepGroup(int groupIndex, ParamGroup group, StepScope scope) {
        Scalar mom = null;
        Scalar minusLr = null;
        for (int i = 0; i < group.size(); i++) {
            Tensor p = group.params().get(i);
            Tensor grad = p.grad();
            if (!grad.defined()) {
                continue;
            }
            if (mom == null) {
                mom = new Scalar(group.mom());
                minusLr = new Scalar(-group.lr());
            }
            ParamState st = state(groupIndex, i, p, scope);
            st.step++;
            double decay = group.lr() * group.wd() * group.wdMultiplier(i);
            if (decay != 0) {
                p.mul_(new Scalar(1 - decay));
            }
            Tensor buf = st.buffers[0];
            buf.mul_(mom).add_(grad);
            p.add_(buf, minusLr);
        }
    }
}
