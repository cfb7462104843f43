package dev.kodiak.models;

import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.layers.Layer;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LinearOptions;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * fastai's classification head for a body with {@code nf} output channels: concat pooling (max ‖ average, as
 * fastai's AdaptiveConcatPool2d orders them) → 2·nf → BatchNorm → Dropout 0.25 → Linear(2·nf, 512, no bias) → ReLU →
 * BatchNorm → Dropout 0.5 → Linear(512, classes, no bias). Parameter names: {@code bn1, fc1, bn2, fc2}.
 */
final class Head extends Layer {
    static final int HIDDEN = 512;
    static final double FIRST_DROPOUT = 0.25;
    static final double SECOND_DROPOUT = 0.5;

    private final BatchNorm1dImpl bn1;
    private final DropoutImpl drop1;
    private final LinearImpl fc1;
    private final BatchNorm1dImpl bn2;
    private final DropoutImpl drop2;
    private final LinearImpl fc2;
    private LinearImpl foldedFc1; // bn1 (→ dropout, the identity in eval) → fc1 as one layer
    private LinearImpl foldedFc2;

    Head(int nf, int classes) {
        bn1 = add("bn1", new BatchNorm1dImpl(new BatchNormOptions(2L * nf)));
        drop1 = add("drop1", new DropoutImpl(FIRST_DROPOUT));
        fc1 = add("fc1", new LinearImpl(linear(2L * nf, HIDDEN)));
        bn2 = add("bn2", new BatchNorm1dImpl(new BatchNormOptions(HIDDEN)));
        drop2 = add("drop2", new DropoutImpl(SECOND_DROPOUT));
        fc2 = add("fc2", new LinearImpl(linear(HIDDEN, classes)));
        initialise();
    }

    @Override
    public dev.kodiak.tensor.Tensor forward(dev.kodiak.tensor.Tensor features) {
        return NativeTensors.wrap(forward(NativeTensors.unwrap(features)));
    }

    /** {@link #forward(dev.kodiak.tensor.Tensor)} on libtorch's tensors, for the model's native forward pass. */
    Tensor forward(Tensor features) {
        Tensor max = torch.adaptive_max_pool2d(features, 1, 1).get0();
        Tensor avg = torch.adaptive_avg_pool2d(features, 1, 1);
        TensorVector both = new TensorVector(max, avg);
        Tensor x = torch.cat(both, 1).flatten(1, -1);
        if (foldedFc1 != null) {
            return foldedFc2.forward(foldedFc1.forward(x).relu_());
        }
        x = fc1.forward(drop1.forward(bn1.forward(x))).relu_();
        return fc2.forward(drop2.forward(bn2.forward(x)));
    }

    /** Inference only: folds each BatchNorm into the linear layer after it (see {@link BatchNormFolding}). */
    void foldBatchNorm() {
        foldedFc1 = keep(BatchNormFolding.linear(bn1, fc1));
        foldedFc2 = keep(BatchNormFolding.linear(bn2, fc2));
    }

    private static LinearOptions linear(long in, long out) {
        LinearOptions o = new LinearOptions(in, out);
        o.bias().put(false);
        return o;
    }

    // fastai: Kaiming-normal linear weights (fan in, gain √2); BatchNorm weight 1 and bias 1e-3.
    private void initialise() {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            torch.kaiming_normal_(fc1.weight());
            torch.kaiming_normal_(fc2.weight());
            for (BatchNorm1dImpl bn : new BatchNorm1dImpl[] {bn1, bn2}) {
                bn.weight().fill_(new org.bytedeco.pytorch.Scalar(1.0));
                bn.bias().fill_(new org.bytedeco.pytorch.Scalar(1e-3));
            }
        }
    }
}
