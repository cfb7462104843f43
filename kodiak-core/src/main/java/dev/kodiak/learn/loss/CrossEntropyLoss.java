package dev.kodiak.learn.loss;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Softmax cross-entropy over classes, optionally with label smoothing (fastai's
 * {@code LabelSmoothingCrossEntropy}): per item
 * {@code (1 − eps)·(−log p_target) + eps·mean_c(−log p_c)}, i.e. the target distribution puts
 * {@code 1 − eps + eps/k} on the true class and {@code eps/k} on every class (the true one included). This is
 * also what PyTorch's {@code cross_entropy(label_smoothing=eps)} computes.
 */
final class CrossEntropyLoss implements Loss {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final double eps;

    CrossEntropyLoss(double eps) {
        if (!(eps >= 0 && eps < 1)) {
            throw new KodiakException("label smoothing must be in [0, 1), got " + eps);
        }
        this.eps = eps;
    }

    @Override
    public String name() {
        return eps == 0 ? "cross_entropy" : "label_smoothing_cross_entropy";
    }

    /** The smoothing amount eps (0 for plain cross-entropy). */
    double smoothing() {
        return eps;
    }

    @Override
    public dev.kodiak.tensor.Tensor mean(dev.kodiak.tensor.Tensor output, dev.kodiak.tensor.Tensor target) {
        return NativeTensors.wrap(perItem(NativeTensors.unwrap(output), NativeTensors.unwrap(target)).mean());
    }

    @Override
    public dev.kodiak.tensor.Tensor perItem(dev.kodiak.tensor.Tensor output, dev.kodiak.tensor.Tensor target) {
        return NativeTensors.wrap(perItem(NativeTensors.unwrap(output), NativeTensors.unwrap(target)));
    }

    private Tensor perItem(Tensor output, Tensor target) {
        LossInputs.checkClassInputs(name(), output, target);
        try {
            Tensor logp = torch.log_softmax(LossInputs.asFloat(output), 1);
            Tensor nll = torch.nll_loss(logp, target, new TensorOptional(), LossInputs.NO_REDUCTION, -100);
            if (eps == 0) {
                return nll;
            }
            Tensor spread = logp.mean(1).neg();
            return nll.mul(new Scalar(1 - eps)).add(spread, new Scalar(eps));
        } catch (RuntimeException e) {
            throw LossInputs.failed(name(), e);
        }
    }

    @Override
    public dev.kodiak.tensor.Tensor activation(dev.kodiak.tensor.Tensor output) {
        return NativeTensors.wrap(torch.softmax(LossInputs.asFloat(NativeTensors.unwrap(output)), 1));
    }

    @Override
    public boolean classTargets() {
        return true;
    }

    @Override
    public String toString() {
        return eps == 0 ? name() : name() + "(" + eps + ")";
    }
}
