package dev.kodiak.engine.distributed;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.Tensors;
import dev.kodiak.tensor.Tensor;
import java.util.List;
import org.bytedeco.pytorch.BackendOptional;
import org.bytedeco.pytorch.BoolVector;
import org.bytedeco.pytorch.ProcessGroup;
import org.bytedeco.pytorch.Reducer;
import org.bytedeco.pytorch.SizeTStringMap;
import org.bytedeco.pytorch.SizeTVector;
import org.bytedeco.pytorch.SizeTVectorVector;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Averages gradients across the ranks of a {@link DistributedGroup} <em>during</em> the backward pass, as PyTorch's
 * DDP does: this is c10d's own {@code Reducer} (DDP's engine), which hooks every parameter's gradient accumulator,
 * packs ready gradients into buckets (the last layers' first, a small first bucket so communication starts early)
 * and all-reduces each bucket on Gloo while backward continues with the earlier layers. When {@link #backward}
 * returns, every parameter's {@code grad} is the mean over all ranks.
 *
 * <p>The parameters are those that will receive gradients in every step (requiring gradients, all used by the
 * forward pass); every rank passes the same ones in the same order. Freezing or unfreezing changes that set: close
 * this reducer and attach a new one. Not thread-safe; close it before its group.
 */
public final class GradientReducer implements AutoCloseable {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** DDP's first-bucket cap: the last layers' gradients go out as soon as they are ready. */
    public static final long FIRST_BUCKET_BYTES = 1L << 20;

    private final DistributedGroup group;
    private final int parameterCount;
    // Native objects the reducer points at: kept reachable (and freed) together with it.
    private final TensorVector parameters;
    private final ProcessGroup processGroup;
    private final Reducer reducer;
    private boolean closed;

    private GradientReducer(DistributedGroup group, int parameterCount, TensorVector parameters,
            ProcessGroup processGroup, Reducer reducer) {
        this.group = group;
        this.parameterCount = parameterCount;
        this.parameters = parameters;
        this.processGroup = processGroup;
        this.reducer = reducer;
    }

    /** {@link #attach(DistributedGroup, List, long)} with DDP's 25 MB buckets. */
    public static GradientReducer attach(DistributedGroup group, List<Tensor> parameters) {
        return attach(group, parameters, DistributedGroup.DEFAULT_BUCKET_BYTES);
    }

    /**
     * Hooks the reducer onto {@code parameters} (live model parameters, not copies).
     *
     * @param bucketBytes cap of every bucket but the first ({@link #FIRST_BUCKET_BYTES} or less)
     */
    public static GradientReducer attach(DistributedGroup group, List<Tensor> parameters, long bucketBytes) {
        if (parameters.isEmpty()) {
            throw new KodiakException("a gradient reducer needs at least one parameter that requires gradients");
        }
        List<org.bytedeco.pytorch.Tensor> natives = NativeTensors.unwrapAll(parameters);
        TensorVector params = new TensorVector();
        long[] bytes = new long[natives.size()];
        Object[] types = new Object[natives.size()];
        BoolVector sparse = new BoolVector();
        for (int i = 0; i < natives.size(); i++) {
            org.bytedeco.pytorch.Tensor p = natives.get(i);
            if (!p.requires_grad()) {
                throw new KodiakException("parameter " + i + " of " + natives.size() + " does not require gradients: "
                        + "attach the reducer to the trainable parameters only (and re-attach after (un)freezing)");
            }
            params.push_back(p);
            // reverse order: backward produces the last layers' gradients first, so they fill the first buckets
            int reversed = natives.size() - 1 - i;
            bytes[reversed] = p.numel() * p.element_size();
            types[reversed] = Tensors.dtype(p);
            sparse.push_back(false);
        }
        SizeTVectorVector buckets = new SizeTVectorVector();
        for (List<Integer> bucket : Buckets.layout(bytes, types, Math.min(FIRST_BUCKET_BYTES, bucketBytes),
                bucketBytes)) {
            SizeTVector indices = new SizeTVector();
            for (int reversed : bucket) {
                indices.push_back(natives.size() - 1 - reversed);
            }
            buckets.push_back(indices);
        }
        // c10d's ProcessGroup front end over the group's Gloo backend (the Reducer talks to a ProcessGroup). Its
        // (store, rank, size) constructor aborts the JVM from these presets (an intrusive_ptr refcount assertion),
        // the (rank, size) one works: the store is only needed for features the reducer does not use.
        ProcessGroup pg = new ProcessGroup(group.rank(), group.worldSize());
        pg.setBackend(torch.DeviceType.CPU, ProcessGroup.BackendType.GLOO, new BackendOptional(group.backend()));
        pg.setDefaultBackend(ProcessGroup.BackendType.GLOO);
        Reducer reducer = new Reducer(params, buckets, pg, sparse, bucketBytes,
                false, // find_unused_parameters: every parameter gets a gradient every step
                false, // gradient_as_bucket_view: grads stay ordinary tensors the optimizer may replace
                new SizeTStringMap(), Math.min(FIRST_BUCKET_BYTES, bucketBytes),
                false, // skip_all_reduce_unused_params
                false); // use_python_reducer
        // The training loop attaches inside a step's scope, whose close would free these with the step: kept until
        // close() instead (the vectors and options above are copied by the constructors and may go with the scope).
        params.retainReference();
        pg.retainReference();
        reducer.retainReference();
        return new GradientReducer(group, natives.size(), params, pg, reducer);
    }

    /**
     * Runs {@code loss.backward()} with the all-reduce of every bucket overlapped; afterwards each parameter's
     * gradient is the mean over the ranks. All ranks call it once per step. A failed peer makes it throw the group's
     * {@link KodiakException} naming the rank.
     */
    public void backward(Tensor loss) {
        if (closed) {
            throw new KodiakException("the gradient reducer of rank " + group.rank() + " is closed");
        }
        org.bytedeco.pytorch.Tensor l = NativeTensors.unwrap(loss);
        group.collective("backward with gradient all-reduce", () -> {
            reducer.prepare_for_forward();
            reducer.prepare_for_backward(new TensorVector());
            l.backward();
            return null;
        });
    }

    /** The number of parameters whose gradients this reducer averages. */
    public int parameterCount() {
        return parameterCount;
    }

    /** Removes the reducer's hooks from the parameters and frees it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reducer.remove_autograd_hooks();
        reducer.close();
        processGroup.close();
        parameters.close();
    }
}
