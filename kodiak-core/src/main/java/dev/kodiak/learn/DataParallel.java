package dev.kodiak.learn;

import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.distributed.DistributedGroup;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.TensorVector;

/**
 * Data-parallel training across the ranks of a {@link DistributedGroup}, as PyTorch's DDP: attached with
 * {@link Learner#dataParallel}. Every rank trains on its slice of every global batch (the loop asks the loader for
 * the rank's shard), starts from rank 0's weights (broadcast before every fit), and steps with the gradients
 * averaged over all ranks (one bucketed all-reduce after backward, before clipping and the optimizer). BatchNorm's
 * batch statistics stay local; its running statistics are rank 0's (broadcast before every training batch, DDP's
 * {@code broadcast_buffers}). Validation runs on shards and the predictions are gathered, so metrics are the whole
 * validation set's on every rank.
 *
 * <p>Why all-reduce after backward rather than c10d's Reducer overlapped with it: on CPUs the overlap was not faster
 * (docs/scaling.md: 7.4 s vs 8.1 s a ResNet-18 step on 2 ranks of this machine, the cores being busy with backward
 * anyway), and this way freezing and unfreezing need nothing (the trainable set is read at every step) and gradient
 * accumulation stays correct (averaging is linear).
 */
final class DataParallel implements Callback {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final DistributedGroup group;

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

    /** Averages the trainable gradients, with this batch's loss riding along so the table shows the global loss. */
    @Override
    public void beforeStep(Learner learn) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters(learn)) {
            org.bytedeco.pytorch.Tensor g = NativeTensors.unwrap(p).grad();
            if (p.requiresGrad() && g.defined()) {
                grads.add(NativeTensors.wrap(g));
            }
        }
        Tensor loss = Tensor.of(new float[] {(float) learn.lossValue()}, 1);
        grads.add(loss);
        group.allReduceMean(grads);
        learn.loop().lossValue = loss.toFloatArray()[0];
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
