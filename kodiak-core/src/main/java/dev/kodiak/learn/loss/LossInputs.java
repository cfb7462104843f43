package dev.kodiak.learn.loss;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Shape checks and dtype conversion shared by the losses. */
final class LossInputs {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** libtorch's at::Reduction::None. */
    static final long NO_REDUCTION = 0;

    private LossInputs() {
    }

    /**
     * The tensor's dtype as a constant that compares with {@code ==}: JavaCPP hands native enum results back as
     * fresh objects, so {@code scalar_type() == ScalarType.Long} is false without {@code intern()}.
     */
    static torch.ScalarType dtype(Tensor t) {
        return t.scalar_type().intern();
    }

    static Tensor asFloat(Tensor t) {
        return dtype(t) == torch.ScalarType.Float ? t : t.to(torch.ScalarType.Float);
    }

    /** Checks {@code [N, k]} outputs against {@code [N]} class indices. */
    static void checkClassInputs(String loss, Tensor output, Tensor target) {
        if (output.dim() != 2) {
            throw new KodiakException(loss + " needs outputs of shape [batch, classes], got " + shape(output));
        }
        if (target.dim() != 1 || target.size(0) != output.size(0)) {
            throw new KodiakException(loss + " needs one class index per item: outputs " + shape(output)
                    + " but targets " + shape(target));
        }
        if (dtype(target) != torch.ScalarType.Long) {
            throw new KodiakException(loss + " needs int64 class indices as targets, got " + dtype(target)
                    + " (use bce_with_logits for multi-hot float targets)");
        }
    }

    /** Checks {@code [N, k]} outputs against float targets of the same number of values per item. */
    static Tensor floatTargets(String loss, Tensor output, Tensor target) {
        if (output.dim() < 1 || target.dim() < 1 || output.size(0) != target.size(0)
                || output.numel() != target.numel()) {
            throw new KodiakException(loss + " needs targets with the outputs' shape: outputs " + shape(output)
                    + " but targets " + shape(target));
        }
        if (!target.is_floating_point()) {
            throw new KodiakException(loss + " needs float targets, got " + dtype(target)
                    + " (use cross_entropy for class indices)");
        }
        return asFloat(target).reshape(output.sizes());
    }

    /** Mean over everything but the batch dimension: one value per item. */
    static Tensor perItemMean(Tensor elementwise) {
        return elementwise.view(elementwise.size(0), -1).mean(1);
    }

    static String shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int d = 0; d < s.length; d++) {
            s[d] = t.size(d);
        }
        return Arrays.toString(s);
    }

    static KodiakException failed(String loss, RuntimeException e) {
        return new KodiakException("computing the " + loss + " loss failed: " + e.getMessage(), e);
    }
}
