package dev.kodiak.engine.distributed;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.tensor.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.TensorVector;

/**
 * One rank of a two-process check, run in its own JVM by {@link DistributedGroupTest}. Arguments: mode, rank, world
 * size, port, timeout in ms. Prints {@code key=value} lines the test reads; a Kodiak error is printed as
 * {@code error=...} and the process still exits 0 (what the test checks is that it did not crash or hang).
 */
public final class GroupWorker {
    /** Shapes spanning several buckets of {@link #SMALL_BUCKET} bytes, and one tensor larger than a bucket. */
    static final long[][] SHAPES = {{3}, {17, 5}, {4096}, {2, 3, 4}, {70_000}, {1}};
    static final long SMALL_BUCKET = 4096;

    private GroupWorker() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int rank = Integer.parseInt(args[1]);
        int world = Integer.parseInt(args[2]);
        int port = Integer.parseInt(args[3]);
        Duration timeout = Duration.ofMillis(Long.parseLong(args[4]));
        try (StepScope scope = StepScope.open();
                DistributedGroup group = DistributedGroup.join(new Rendezvous("127.0.0.1", port, world, rank, timeout))) {
            System.out.println("joined=" + group.rank());
            switch (mode) {
                case "reduce" -> reduce(group);
                case "die" -> die(group);
                case "hang" -> hang(group, timeout);
                case "reducer" -> reducer(group, false);
                case "reducer-die" -> reducer(group, true);
                default -> throw new IllegalArgumentException(mode);
            }
        } catch (KodiakException e) {
            System.out.println("error=" + e.getMessage().replace('\n', ' '));
        }
        System.out.println("exited=clean");
    }

    /** All-reduce with small and default buckets, then a broadcast of rank-specific weights. */
    private static void reduce(DistributedGroup group) {
        int world = group.worldSize();
        for (long bucket : new long[]{SMALL_BUCKET, DistributedGroup.DEFAULT_BUCKET_BYTES}) {
            List<Tensor> mine = values(group.rank());
            group.allReduceMean(mine, bucket);
            boolean exact = true;
            for (int i = 0; i < mine.size(); i++) {
                Tensor expected = values(0).get(i);
                for (int r = 1; r < world; r++) {
                    expected = expected.add(values(r).get(i));
                }
                expected = expected.div(world);
                exact &= mine.get(i).sub(expected).abs().sum().item() == 0f;
            }
            System.out.println("exact" + bucket + "=" + exact);
        }
        List<Tensor> totals = List.of(Tensor.of(new float[]{group.rank() + 1f, 10f * (group.rank() + 1)}, 2));
        group.allReduceSum(totals);
        System.out.println("sum=" + java.util.Arrays.toString(totals.get(0).toFloatArray()));
        List<Tensor> weights = weights(group.rank());
        System.out.println("root=" + checksum(weights(0)));
        System.out.println("before=" + checksum(weights));
        group.broadcast(weights, 0);
        System.out.println("after=" + checksum(weights));
        group.barrier();
    }

    private static void die(DistributedGroup group) {
        List<Tensor> grads = values(group.rank());
        group.allReduceMean(grads);
        if (group.rank() == 1) {
            System.out.flush();
            Runtime.getRuntime().halt(3); // as a killed process: no shutdown hooks, sockets closed by the kernel
        }
        group.allReduceMean(values(group.rank()));
        System.out.println("second=ok");
    }

    /** Rank 1 stays alive but never reaches the second collective, as a rank stuck in a long computation. */
    private static void hang(DistributedGroup group, Duration timeout) throws InterruptedException {
        group.barrier();
        if (group.rank() == 1) {
            Thread.sleep(timeout.toMillis() * 3);
            return;
        }
        group.allReduceMean(values(group.rank()));
        System.out.println("second=ok");
    }

    /**
     * The Reducer's gradients after backward against the exact mean of both ranks' local gradients (a reference copy
     * of the model, all-reduced with {@link DistributedGroup#allReduceMean}), over a few SGD steps; with
     * {@code die}, rank 1 exits before the second backward.
     */
    private static void reducer(DistributedGroup group, boolean die) {
        List<LinearImpl> model = twoLayers();
        List<LinearImpl> reference = twoLayers();
        List<Tensor> params = parameters(model);
        List<Tensor> refParams = parameters(reference);
        boolean exact = true;
        try (GradientReducer reducer = GradientReducer.attach(group, params, 1024)) {
            System.out.println("reducerParams=" + reducer.parameterCount());
            for (int step = 0; step < 3; step++) {
                if (die && step == 1 && group.rank() == 1) {
                    System.out.flush();
                    Runtime.getRuntime().halt(3);
                }
                org.bytedeco.pytorch.Tensor x = input(group.rank(), step);
                zeroGrad(model);
                reducer.backward(NativeTensors.wrap(loss(model, x)));
                zeroGrad(reference);
                loss(reference, x).backward();
                List<Tensor> expected = new ArrayList<>();
                for (Tensor p : refParams) {
                    expected.add(p.grad());
                }
                group.allReduceMean(expected);
                for (int i = 0; i < params.size(); i++) {
                    exact &= params.get(i).grad().sub(expected.get(i)).abs().sum().item() == 0f;
                }
                sgd(params);
                sgd(refParams);
            }
        }
        System.out.println("reducerExact=" + exact);
        System.out.println("weights=" + checksum(params));
    }

    private static List<LinearImpl> twoLayers() {
        dev.kodiak.engine.Engine.seed(7);
        return List.of(new LinearImpl(10, 64), new LinearImpl(64, 3));
    }

    private static List<Tensor> parameters(List<LinearImpl> layers) {
        List<Tensor> out = new ArrayList<>();
        for (LinearImpl l : layers) {
            TensorVector ps = l.parameters();
            for (long i = 0; i < ps.size(); i++) {
                out.add(NativeTensors.wrap(ps.get(i)));
            }
        }
        return out;
    }

    private static org.bytedeco.pytorch.Tensor input(int rank, int step) {
        dev.kodiak.engine.Engine.seed(100 * step + rank);
        return NativeTensors.unwrap(Tensor.randn(8, 10));
    }

    private static org.bytedeco.pytorch.Tensor loss(List<LinearImpl> layers, org.bytedeco.pytorch.Tensor x) {
        return layers.get(1).forward(layers.get(0).forward(x).relu()).pow(new Scalar(2)).mean();
    }

    private static void zeroGrad(List<LinearImpl> layers) {
        for (LinearImpl l : layers) {
            l.zero_grad(true);
        }
    }

    private static void sgd(List<Tensor> params) {
        try (var noGrad = dev.kodiak.engine.Engine.noGrad()) {
            for (Tensor p : params) {
                NativeTensors.unwrap(p).sub_(NativeTensors.unwrap(p.grad()).mul(new Scalar(0.1)));
            }
        }
    }

    /** Integer-valued floats, different on every rank: sums and halves of them are exact in float32. */
    static List<Tensor> values(int rank) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            long n = 1;
            for (long d : SHAPES[i]) {
                n *= d;
            }
            Tensor t = Tensor.arange(n).toFloat().mul(rank + 1).add(1000.0 * i + 2 * rank);
            out.add(t.reshape(SHAPES[i]));
        }
        return out;
    }

    /** Random weights seeded by rank, requiring gradients like a model's parameters. */
    private static List<Tensor> weights(int rank) {
        dev.kodiak.engine.Engine.seed(40 + rank);
        List<Tensor> out = new ArrayList<>();
        for (long[] shape : SHAPES) {
            out.add(Tensor.randn(shape).requiringGrad());
        }
        return out;
    }

    /** An exact fingerprint of the weights' bits. */
    private static String checksum(List<Tensor> tensors) {
        long h = 17;
        for (Tensor t : tensors) {
            for (float f : t.detach().toFloatArray()) {
                h = h * 31 + Float.floatToRawIntBits(f);
            }
        }
        return Long.toHexString(h);
    }
}
