package dev.kodiak.engine.distributed;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeErrors;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.Tensors;
import dev.kodiak.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.BarrierOptions;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;
import org.bytedeco.pytorch.gloo.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * A process group: this process's handle on {@code worldSize} processes (ranks) that train one model together, on
 * libtorch's own collective backend (c10d's {@code ProcessGroupGloo}, TCP) with rendezvous through libtorch's
 * {@code TCPStore} hosted by rank 0. It offers what data-parallel training needs: averaging gradients across ranks in
 * flat buckets, broadcasting rank 0's weights, and a barrier.
 *
 * <p>Failure: every wait gives up after the rendezvous timeout. A collective that fails (a rank died, hung, or closed
 * its connection) throws a {@link KodiakException} naming the rank(s) that did not take part, found from per-rank
 * counters each rank bumps in the store before every collective; the group is unusable afterwards (Gloo closes its
 * connections), so the caller stops and resumes from a checkpoint.
 *
 * <p>Not thread-safe: one thread (the training loop's) calls it. Close it on every rank when done: rank 0 hosts the
 * rendezvous and waits (up to the timeout) for the others to leave before shutting it down.
 */
public final class DistributedGroup implements AutoCloseable {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** PyTorch DDP's default bucket size: big enough to amortise a collective's latency, small enough to pipeline. */
    public static final long DEFAULT_BUCKET_BYTES = 25L << 20;

    private static final String JOINED = "kodiak/joined/";
    private static final String ENTERED = "kodiak/entered/";
    private static final String LEFT = "kodiak/left/";

    private final Rendezvous rendezvous;
    private final TCPStore store;
    private final ProcessGroupGloo gloo;
    private long collectives;
    private String brokenBy;
    private boolean closed;

    private DistributedGroup(Rendezvous rendezvous, TCPStore store, ProcessGroupGloo gloo) {
        this.rendezvous = rendezvous;
        this.store = store;
        this.gloo = gloo;
    }

    /**
     * Joins the group: rank 0 starts the rendezvous server on the port, the others connect to it, every rank waits
     * (up to the timeout) for all to arrive, then Gloo connects every pair of ranks. Blocks until all ranks have
     * joined.
     *
     * @throws KodiakException naming the ranks that did not arrive, or the address that could not be reached/bound
     */
    public static DistributedGroup join(Rendezvous rendezvous) {
        Milliseconds timeout = new Milliseconds(rendezvous.timeout().toMillis());
        TCPStore store = openStore(rendezvous, timeout);
        try {
            waitForAll(store, rendezvous, timeout);
            ProcessGroupGloo gloo = NativeErrors.call("rank " + rendezvous.rank() + " could not connect to the other "
                    + "ranks through Gloo (rendezvous " + rendezvous.address() + ")", () -> {
                ProcessGroupGloo.Options options = new ProcessGroupGloo.Options(timeout);
                options.devices(new GlooDeviceVector(device(rendezvous)));
                return new ProcessGroupGloo(store, rendezvous.rank(), rendezvous.worldSize(), options);
            });
            return new DistributedGroup(rendezvous, store, gloo);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** This process's rank, 0 to {@link #worldSize()} − 1. */
    public int rank() {
        return rendezvous.rank();
    }

    /** The number of processes in the group. */
    public int worldSize() {
        return rendezvous.worldSize();
    }

    /** How the group was formed (address, timeout). */
    public Rendezvous rendezvous() {
        return rendezvous;
    }

    /** {@link #allReduceMean(List, long)} with DDP's 25 MB buckets. */
    public void allReduceMean(List<Tensor> tensors) {
        allReduceMean(tensors, DEFAULT_BUCKET_BYTES);
    }

    /**
     * Replaces every tensor, in place, by its mean over all ranks (for gradients: the average gradient of the global
     * batch when every rank's loss is a mean over an equal share of it). Tensors are packed into flat buckets of at
     * most {@code bucketBytes}, one all-reduce per bucket. Every rank must pass tensors of the same shapes and types,
     * in the same order.
     */
    public void allReduceMean(List<Tensor> tensors, long bucketBytes) {
        allReduce(tensors, bucketBytes, true);
    }

    /**
     * Replaces every tensor, in place, by its sum over all ranks: for totals computed on each rank's shard, such as
     * a validation pass's loss sum, correct count and item count (then divide once). Same bucketing and rules as
     * {@link #allReduceMean(List, long)}.
     */
    public void allReduceSum(List<Tensor> tensors) {
        allReduce(tensors, DEFAULT_BUCKET_BYTES, false);
    }

    private void allReduce(List<Tensor> tensors, long bucketBytes, boolean mean) {
        List<org.bytedeco.pytorch.Tensor> natives = NativeTensors.unwrapAll(tensors);
        collective("all-reduce", () -> {
            for (List<Integer> bucket : layout(natives, bucketBytes)) {
                try (PointerScope scope = new PointerScope()) {
                    org.bytedeco.pytorch.Tensor flat = flatten(natives, bucket);
                    AllreduceOptions options = new AllreduceOptions();
                    options.timeout(new Milliseconds(rendezvous.timeout().toMillis()));
                    await(gloo.allreduce(new TensorVector(flat), options));
                    if (mean) {
                        flat.div_(new Scalar((double) worldSize()));
                    }
                    unflatten(flat, natives, bucket);
                }
            }
            return null;
        });
    }

    /**
     * Overwrites every tensor, in place, with {@code root}'s copy (e.g. rank 0's initial weights, so that all ranks
     * start identical). Works on tensors that require gradients (the copy is not recorded by autograd).
     */
    public void broadcast(List<Tensor> tensors, int root) {
        if (root < 0 || root >= worldSize()) {
            throw new KodiakException("broadcast root " + root + " is outside 0.." + (worldSize() - 1));
        }
        List<org.bytedeco.pytorch.Tensor> natives = NativeTensors.unwrapAll(tensors);
        collective("broadcast from rank " + root, () -> {
            try (var noGrad = Engine.noGrad()) {
                for (List<Integer> bucket : layout(natives, DEFAULT_BUCKET_BYTES)) {
                    try (PointerScope scope = new PointerScope()) {
                        org.bytedeco.pytorch.Tensor flat = flatten(natives, bucket);
                        BroadcastOptions options = new BroadcastOptions();
                        options.rootRank(root);
                        options.timeout(new Milliseconds(rendezvous.timeout().toMillis()));
                        await(gloo.broadcast(new TensorVector(flat), options));
                        if (rank() != root) {
                            unflatten(flat, natives, bucket);
                        }
                    }
                }
            }
            return null;
        });
    }

    /** Returns once every rank has called it (or throws, naming the ranks that did not, after the timeout). */
    public void barrier() {
        collective("barrier", () -> {
            try (PointerScope scope = new PointerScope()) {
                BarrierOptions options = new BarrierOptions();
                options.timeout(new Milliseconds(rendezvous.timeout().toMillis()));
                await(gloo.barrier(options));
            }
            return null;
        });
    }

    /**
     * Leaves the group. Rank 0 first waits (up to the timeout) for the other ranks to leave, because the rendezvous
     * server lives in its process; after a failure nobody waits.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (brokenBy == null) {
                store.add(LEFT + rank(), 1);
                if (rank() == 0) {
                    store._wait(keys(LEFT), new Milliseconds(rendezvous.timeout().toMillis()));
                }
            }
        } catch (RuntimeException e) {
            // a peer or the server is gone: there is nobody left to wait for, and closing must not fail
        } finally {
            gloo.close();
            store.close();
        }
    }

    /** Internal: the Gloo backend, for the engine's gradient reducer. */
    ProcessGroupGloo backend() {
        return gloo;
    }

    // ---------------------------------------------------------------- collectives and their failures

    /**
     * Runs {@code op}, one collective of this group (all ranks run it in the same order), with the group's failure
     * handling: counted in the store, a native failure becomes a message naming the ranks to blame.
     */
    void collective(String what, Supplier<Void> op) {
        if (closed) {
            throw new KodiakException("the process group of rank " + rank() + " is closed: cannot run " + what);
        }
        if (brokenBy != null) {
            throw new KodiakException("rank " + rank() + " cannot run " + what + ": the process group broke earlier ("
                    + brokenBy + "); stop all ranks and resume from the last checkpoint");
        }
        long number = ++collectives;
        try {
            store.add(ENTERED + rank(), 1);
        } catch (RuntimeException e) {
            throw broke(hostLost(what, number, e), e);
        }
        try {
            op.get();
        } catch (KodiakException e) {
            throw e;
        } catch (RuntimeException e) {
            throw broke(diagnose(what, number, e), e);
        }
    }

    private KodiakException broke(String message, RuntimeException cause) {
        brokenBy = message;
        return new KodiakException(message, cause);
    }

    /**
     * Which ranks are to blame: those whose counter shows they never reached this collective (dead or stuck); if all
     * reached it, a rank died or dropped its connection during it (with two ranks that can only be the other one).
     */
    private String diagnose(String what, long number, RuntimeException e) {
        String gloo = reason(e);
        String head = what + " #" + number + " failed on rank " + rank() + " of " + worldSize();
        String tail = " (Gloo: " + gloo + "). The group cannot be used any more: stop all ranks and resume from "
                + "the last checkpoint.";
        List<Integer> absent = new ArrayList<>();
        List<Integer> present = new ArrayList<>();
        try {
            for (int r = 0; r < worldSize(); r++) {
                if (r != rank()) {
                    (store.add(ENTERED + r, 0) < number ? absent : present).add(r);
                }
            }
        } catch (RuntimeException storeDown) {
            return hostLost(what, number, e);
        }
        if (!absent.isEmpty()) {
            return head + ": " + ranks(absent) + " did not reach it (died, or stuck longer than the " + seconds()
                    + " timeout)" + tail;
        }
        return head + ": " + ranks(present) + (present.size() == 1 ? " dropped its" : " (one of them) dropped the")
                + " connection during it (died or aborted)" + tail;
    }

    private String hostLost(String what, long number, RuntimeException e) {
        return what + " #" + number + " failed on rank " + rank() + " of " + worldSize() + ": rank 0, which hosts the "
                + "rendezvous at " + rendezvous.address() + ", is unreachable (died or stopped) (" + reason(e)
                + "). Stop all ranks and resume from the last checkpoint.";
    }

    /** Gloo's message without the build machine's source path it starts with ({@code [/home/.../pair.cc:547] }). */
    static String reason(RuntimeException e) {
        return NativeErrors.shortMessage(e.getMessage()).replaceFirst("^\\[[^\\]]*\\.(cc|cpp|h):\\d+\\]\\s*", "");
    }

    private static String ranks(List<Integer> ranks) {
        return (ranks.size() == 1 ? "rank " : "ranks ") + String.join(", ", ranks.stream().map(String::valueOf).toList());
    }

    private String seconds() {
        return String.format(Locale.ROOT, "%.1f s", rendezvous.timeout().toMillis() / 1000.0);
    }

    private static void await(Work work) {
        work._wait();
    }

    // ---------------------------------------------------------------- buckets

    private static List<List<Integer>> layout(List<org.bytedeco.pytorch.Tensor> tensors, long bucketBytes) {
        long[] bytes = new long[tensors.size()];
        Object[] types = new Object[tensors.size()];
        for (int i = 0; i < bytes.length; i++) {
            org.bytedeco.pytorch.Tensor t = tensors.get(i);
            bytes[i] = t.numel() * t.element_size();
            types[i] = Tensors.dtype(t);
        }
        return Buckets.layout(bytes, types, bucketBytes);
    }

    /** One contiguous 1-D tensor holding the bucket's tensors back to back (a fresh copy, never a view). */
    private static org.bytedeco.pytorch.Tensor flatten(List<org.bytedeco.pytorch.Tensor> tensors, List<Integer> bucket) {
        TensorVector parts = new TensorVector();
        for (int i : bucket) {
            parts.push_back(tensors.get(i).reshape(-1));
        }
        return torch.cat(parts);
    }

    private static void unflatten(org.bytedeco.pytorch.Tensor flat, List<org.bytedeco.pytorch.Tensor> tensors,
            List<Integer> bucket) {
        long offset = 0;
        for (int i : bucket) {
            org.bytedeco.pytorch.Tensor t = tensors.get(i);
            long n = t.numel();
            t.copy_(flat.narrow(0, offset, n).view(t.sizes().vec().get()));
            offset += n;
        }
    }

    // ---------------------------------------------------------------- rendezvous

    private static TCPStore openStore(Rendezvous r, Milliseconds timeout) {
        String doing = r.rank() == 0
                ? "rank 0 could not start the rendezvous server on " + r.address()
                        + " (is the port in use, or the address not this machine's?)"
                : "rank " + r.rank() + " could not reach rank 0's rendezvous server at " + r.address() + " within "
                        + r.timeout().toSeconds() + " s (is rank 0 running, and the address and port right?)";
        return NativeErrors.call(doing, () -> {
            TCPStoreOptions options = new TCPStoreOptions();
            options.port((short) r.port()).isServer(r.rank() == 0).waitWorkers(false).timeout(timeout);
            options.numWorkers(new SizeTPointer(1).put(r.worldSize()));
            return new TCPStore(r.host(), options);
        });
    }

    /** Every rank announces itself, then waits for all: a missing rank is named here, not deep inside Gloo. */
    private static void waitForAll(TCPStore store, Rendezvous r, Milliseconds timeout) {
        long seen = NativeErrors.call("rank " + r.rank() + " could not register at " + r.address(),
                () -> store.add(JOINED + r.rank(), 1));
        if (seen > 1) {
            throw new KodiakException("rank " + r.rank() + " joined the rendezvous at " + r.address() + " twice: "
                    + "give every process its own --rank (0.." + (r.worldSize() - 1) + ")");
        }
        try {
            store._wait(keys(JOINED, r.worldSize()), timeout);
        } catch (RuntimeException e) {
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < r.worldSize(); i++) {
                if (!store.check(new StringVector(JOINED + i))) {
                    missing.add(i);
                }
            }
            throw new KodiakException("rank " + r.rank() + " of " + r.worldSize() + ": " + ranks(missing)
                    + " did not join the rendezvous at " + r.address() + " within " + r.timeout().toSeconds()
                    + " s; start every rank with the same address and world size", e);
        }
    }

    private StringVector keys(String prefix) {
        return keys(prefix, worldSize());
    }

    private static StringVector keys(String prefix, int worldSize) {
        StringVector keys = new StringVector();
        for (int i = 0; i < worldSize; i++) {
            keys.push_back(prefix + i);
        }
        return keys;
    }

    /**
     * The network device Gloo listens on: loopback when the rendezvous is on this machine's loopback (tests, one
     * machine), else the interface named by {@code GLOO_SOCKET_IFNAME} as in PyTorch, else the address this host's
     * name resolves to.
     */
    private static Device device(Rendezvous r) {
        String iface = System.getenv("GLOO_SOCKET_IFNAME");
        if (r.host().startsWith("127.") || r.host().equals("localhost") || r.host().equals("::1")) {
            return ProcessGroupGloo.createDeviceForHostname(r.host());
        }
        if (iface != null && !iface.isBlank()) {
            return ProcessGroupGloo.createDeviceForInterface(iface.trim());
        }
        return ProcessGroupGloo.createDefaultDevice();
    }
}
