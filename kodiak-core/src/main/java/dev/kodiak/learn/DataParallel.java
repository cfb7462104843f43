package dev.kodiak.learn;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.distributed.DistributedGroup;
import dev.kodiak.engine.distributed.GradientReducer;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.TensorVector;

/**
 * Data-parallel training across the ranks of a {@link DistributedGroup}, as PyTorch's DDP: attached with
 * {@link Learner#dataParallel}. Every rank trains on its slice of every global batch (the loop asks the loader for
 * the rank's shard), starts from rank 0's weights (broadcast before every fit), and steps with the gradients
 * averaged over all ranks: c10d's own {@code Reducer} (DDP's engine, through {@link GradientReducer}) all-reduces
 * them in buckets while the backward pass is still running, before clipping and the optimizer. BatchNorm's batch
 * statistics stay local; its running statistics are rank 0's (broadcast before every training batch, DDP's
 * {@code broadcast_buffers}). Validation runs on shards and the predictions are gathered, so metrics are the whole
 * validation set's on every rank.
 *
 * <p>Why the overlapped Reducer rather than one all-reduce after backward: on an idle 2-core EPYC it was 3-6%
 * faster per ResNet-18 step (bench/results/data-parallel-*-epyc.txt; docs/scaling.md), and over a network the
 * overlap hides more. The reducer covers the parameters that train now; freezing or unfreezing changes that set and
 * the next backward re-attaches it. Gradient accumulation stays right: each backward adds the mean of the ranks'
 * new gradients to the (already equal) accumulated ones.
 */
final class DataParallel implements Callback {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final DistributedGroup group;
    private GradientReducer reducer;
    private boolean[] reducedMask; // which of the model's parameters the reducer covers

    DataParallel(DistributedGroup group) {
        this.group = group;
    }

    DistributedGroup group() {
        return group;
    }

    /** First of all callbacks: the averaged gradients are what clipping, mixed precision and the optimizer see. */
    @Override
    public int order() {
        return -100;
    }

    @Override
    public void beforeFit(Learner learn) {
        List<Tensor> state = new ArrayList<>(parameters(learn));
        state.addAll(buffers(learn));
        group.broadcast(state, 0);
    }

    @Override
    public void beforeBatch(Learner learn) {
        if (learn.training()) {
            List<Tensor> buffers = buffers(learn);
            if (!buffers.isEmpty()) {
                group.broadcast(buffers, 0);
            }
        }
    }

    /**
     * The training loop's backward pass: {@code loss.backward()} with the trainable gradients averaged over the ranks
     * as it goes. Every rank calls it once per training batch.
     */
    void backward(Learner learn, Tensor loss) {
        List<Tensor> params = parameters(learn);
        boolean[] mask = new boolean[params.size()];
        List<Tensor> trainable = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            mask[i] = params.get(i).requiresGrad();
            if (mask[i]) {
                trainable.add(params.get(i));
            }
        }
        if (reducer == null || !java.util.Arrays.equals(mask, reducedMask)) {
            closeReducer();
            reducer = GradientReducer.attach(group, trainable);
            reducedMask = mask;
        }
        reducer.backward(loss);
    }

    /** The table shows the global loss: this batch's loss averaged over the ranks. */
    @Override
    public void beforeStep(Learner learn) {
        Tensor loss = Tensor.of(new float[] {(float) learn.lossValue()}, 1);
        group.allReduceMean(List.of(loss));
        learn.loop().lossValue = loss.toFloatArray()[0];
    }

    /** The reducer's hooks go with the fit: anything else that runs backward (lr_find) stays local. */
    @Override
    public void afterFit(Learner learn) {
        closeReducer();
    }

    private void closeReducer() {
        if (reducer != null) {
            reducer.close();
            reducer = null;
            reducedMask = null;
        }
    }

    /**
     * The whole validation set's predictions from this rank's shard: every rank writes its rows at their items'
     * positions into a zero table and the tables are summed, so every rank gets all rows in the loader's order (a
     * marker column drops the items no rank loaded, e.g. skipped bad files).
     */
    Predictions gather(Predictions local, int[] itemIndices, int total) {
        int k = agreedWidth(local);
        boolean classes = local.classTargets() != null;
        int targetWidth = classes ? 1 : k;
        int width = k + targetWidth + 2;
        float[] table = new float[total * width];
        for (int i = 0; i < local.n(); i++) {
            int row = itemIndices[i] * width;
            System.arraycopy(local.outputs(), i * k, table, row, k);
            if (classes) {
                table[row + k] = local.classTargets()[i];
            } else {
                System.arraycopy(local.targets(), i * k, table, row + k, k);
            }
            table[row + k + targetWidth] = local.losses()[i];
            table[row + width - 1] = 1f;
        }
        Tensor all = Tensor.of(table, total, width);
        group.allReduceSum(List.of(all));
        float[] sum = all.toFloatArray();
        int n = 0;
        for (int r = 0; r < total; r++) {
            n += sum[r * width + width - 1] > 0 ? 1 : 0;
        }
        float[] outputs = new float[n * k];
        long[] classTargets = classes ? new long[n] : null;
        float[] targets = classes ? null : new float[n * k];
        float[] losses = new float[n];
        int i = 0;
        for (int r = 0; r < total; r++) {
            int row = r * width;
            if (sum[row + width - 1] == 0) {
                continue;
            }
            System.arraycopy(sum, row, outputs, i * k, k);
            if (classes) {
                classTargets[i] = Math.round(sum[row + k]);
            } else {
                System.arraycopy(sum, row + k, targets, i * k, k);
            }
            losses[i] = sum[row + k + targetWidth];
            i++;
        }
        return new Predictions(n, k, outputs, classTargets, targets, losses);
    }

    /** Every rank calls this (a collective): a rank whose shard was empty knows no output width, the others do. */
    private int agreedWidth(Predictions local) {
        boolean saw = local.n() > 0;
        Tensor w = Tensor.of(new float[] {saw ? local.k() : 0, saw ? 1 : 0}, 2);
        group.allReduceSum(List.of(w));
        float[] sum = w.toFloatArray();
        return sum[1] == 0 ? local.k() : Math.round(sum[0] / sum[1]);
    }

    private static List<Tensor> parameters(Learner learn) {
        return NativeTensors.wrapAll(vector(learn.model().module().parameters()));
    }

    /** Grouped by element type (floats, then BatchNorm's counters), so they travel in two buckets, not one per layer. */
    private static List<Tensor> buffers(Learner learn) {
        List<Tensor> all = new ArrayList<>(NativeTensors.wrapAll(vector(learn.model().module().buffers())));
        all.sort(java.util.Comparator.comparing(t -> t.dtype().name()));
        return all;
    }

    /**
     * Owning handles on the vector's tensors: the elements {@code TensorVector.get} returns point into the vector's
     * memory, freed with it (a GC later they crashed the JVM), so each gets a handle of its own (same storage).
     */
    private static List<org.bytedeco.pytorch.Tensor> vector(TensorVector v) {
        List<org.bytedeco.pytorch.Tensor> out = new ArrayList<>((int) v.size());
        for (long i = 0; i < v.size(); i++) {
            out.add(new org.bytedeco.pytorch.Tensor(v.get(i)));
        }
        return out;
    }
}
