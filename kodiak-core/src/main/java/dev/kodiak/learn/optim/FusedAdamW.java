package dev.kodiak.learn.optim;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorType;
import org.bytedeco.pytorch.Type;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Internal: libtorch's fused AdamW kernel ({@code aten::_fused_adamw_}, the one behind PyTorch's
 * {@code AdamW(fused=True)}), called through the operator dispatcher because the Java API does not expose it. It
 * updates parameter, both moments and weight decay in one pass over memory, where the same update written as
 * tensor operations makes seven passes: on small images the optimizer step is a fifth of a training step, and
 * this roughly halves it. Its arithmetic is AdamW's (as {@link AdamW} documents), to float rounding.
 *
 * <p>The kernel walks the raw memory of parameter, gradient and moments together, so it only takes parameters
 * whose four tensors are float32 with identical strides; {@link #accepts} says which, and {@link AdamW} updates
 * the others itself. Collect one step's parameters with {@link #add}, then {@link #run} once.
 */
final class FusedAdamW {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private static final OperatorHandle OP = lookUp();

    // per weight-decay value (the kernel takes one per call), in order of first use: rows of
    // {param, grad, exp_avg, exp_avg_sq, step}
    private final Map<Double, List<Tensor[]>> byDecay = new LinkedHashMap<>();

    // -Dkodiak.fusedAdamW=false: the tensor-operation path, to compare the two in benchmarks
    private static final boolean ENABLED = !"false".equals(System.getProperty("kodiak.fusedAdamW"));

    /** True when this libtorch has the kernel (it does from PyTorch 2.4 on) and it is not switched off. */
    static boolean available() {
        return OP != null && ENABLED;
    }

    /** True when the kernel can update this parameter: float32 tensors, contiguous or channels-last, one layout. */
    static boolean accepts(Tensor p, Tensor grad, Tensor expAvg, Tensor expAvgSq) {
        if (!p.is_contiguous() && !(p.dim() == 4 && p.is_contiguous(org.bytedeco.pytorch.global.torch.MemoryFormat.ChannelsLast))) {
            return false;
        }
        if (Tensors.dtype(p) != ScalarType.Float || Tensors.dtype(grad) != ScalarType.Float
                || Tensors.dtype(expAvg) != ScalarType.Float || Tensors.dtype(expAvgSq) != ScalarType.Float) {
            return false;
        }
        long[] strides = strides(p);
        return Arrays.equals(strides, strides(grad))
                && Arrays.equals(strides, strides(expAvg)) && Arrays.equals(strides, strides(expAvgSq));
    }

    private static long[] strides(Tensor t) {
        return t.strides().vec().get();
    }

    /** Adds a parameter to this step; {@code step} is a float scalar tensor holding its update count (after +1). */
    void add(double weightDecay, Tensor p, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor step) {
        Tensor[] row = {p, grad, expAvg, expAvgSq, step};
        if (!p.is_contiguous()) {
            // The kernel makes non-contiguous tensors contiguous, i.e. copies channels-last weights every step.
            // A channels-last tensor read in NHWC order is contiguous: hand it the same memory in that order.
            for (int l = 0; l < 4; l++) {
                row[l] = row[l].permute(0, 2, 3, 1);
            }
        }
        byDecay.computeIfAbsent(weightDecay, k -> new ArrayList<>()).add(row);
    }

    /** Updates every added parameter (one kernel call per weight-decay value); native objects go to the caller's scope. */
    void run(double lr, double beta1, double beta2, double eps) {
        if (byDecay.isEmpty()) {
            return;
        }
        Type.TypePtr tensorType = new Type.TypePtr(TensorType.get());
        for (Map.Entry<Double, List<Tensor[]>> group : byDecay.entrySet()) {
            List<Tensor[]> rows = group.getValue();
            IValue[] args = new IValue[15];
            int[] listArgs = {0, 1, 2, 3, 5}; // params, grads, exp_avgs, exp_avg_sqs, (4: max_exp_avg_sqs), state_steps
            for (int l = 0; l < 5; l++) {
                GenericList list = new GenericList(tensorType);
                list.reserve(rows.size());
                for (Tensor[] row : rows) {
                    list.push_back(new IValue(row[l]));
                }
                args[listArgs[l]] = new IValue(list);
            }
            args[4] = new IValue(new GenericList(tensorType)); // no AMSGrad
            args[6] = new IValue(lr);
            args[7] = new IValue(beta1);
            args[8] = new IValue(beta2);
            args[9] = new IValue(group.getKey());
            args[10] = new IValue(eps);
            args[11] = new IValue(false); // amsgrad
            args[12] = new IValue(false); // maximize
            args[13] = new IValue(); // grad_scale
            args[14] = new IValue(); // found_inf
            Dispatcher.singleton().callBoxed(OP, new IValueVector(args));
        }
    }

    private static OperatorHandle lookUp() {
        try {
            OperatorHandle op = Dispatcher.singleton().findSchemaOrThrow("aten::_fused_adamw_", "");
            op.retainReference();
            return op;
        } catch (RuntimeException | LinkageError e) {
            return null; // an older libtorch: AdamW falls back to tensor operations
        }
    }
}
