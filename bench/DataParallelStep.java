import dev.kodiak.engine.CpuFeatures;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.distributed.DistributedGroup;
import dev.kodiak.engine.distributed.GradientReducer;
import dev.kodiak.engine.distributed.Rendezvous;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.VisionModel;
import java.time.Duration;
import java.util.*;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * One rank of a data-parallel ResNet-18 training step (bench/data-parallel.sh starts them): forward, cross-entropy,
 * backward, gradient averaging, SGD update, on random data of GLOBAL_BS / WORLD images per rank. MODE: "local"
 * (WORLD must be 1), "allreduce" (backward, then DistributedGroup.allReduceMean of all gradients, 25 MB buckets) or
 * "reducer" (GradientReducer: c10d's Reducer, all-reduce overlapped with backward). Rank 0 prints the median step
 * time and the global images/second.
 * Usage: java -cp kodiak-cli/target/kodiak.jar bench/DataParallelStep.java RANK WORLD PORT THREADS GLOBAL_BS SIZE STEPS MODE
 */
public class DataParallelStep {
    public static void main(String[] a) {
        int rank = Integer.parseInt(a[0]), world = Integer.parseInt(a[1]), port = Integer.parseInt(a[2]);
        int threads = Integer.parseInt(a[3]), globalBs = Integer.parseInt(a[4]), size = Integer.parseInt(a[5]);
        int steps = Integer.parseInt(a[6]);
        String mode = a[7];
        Engine.init();
        Engine.setThreads(threads);
        Engine.seed(1);
        VisionModel model = VisionModel.create(Architectures.RESNET18, 10);
        model.train(true);
        var params = model.parameters();
        List<dev.kodiak.tensor.Tensor> kp = new ArrayList<>();
        for (long i = 0; i < params.size(); i++) {
            kp.add(NativeTensors.wrap(params.get(i)));
        }
        int bs = globalBs / world;
        DistributedGroup group = world == 1 ? null
                : DistributedGroup.join(new Rendezvous("127.0.0.1", port, world, rank, Duration.ofMinutes(5)));
        GradientReducer reducer = mode.equals("reducer") ? GradientReducer.attach(group, kp) : null;
        if (group != null) {
            group.broadcast(kp, 0);
        }
        double[] ms = new double[steps];
        for (int s = -2; s < steps; s++) {
            try (StepScope scope = StepScope.open()) {
                Engine.seed(1000L * s + rank);
                Tensor x = torch.randn(bs, 3, size, size);
                Tensor y = torch.randint(0, 10, new long[]{bs}, new TensorOptions(torch.ScalarType.Long));
                if (group != null) {
                    group.barrier(); // every rank starts the step together
                }
                long t0 = System.nanoTime();
                model.zero_grad(true);
                Tensor loss = torch.cross_entropy_loss(NativeTensors.unwrap(model.forward(NativeTensors.wrap(x))), y);
                if (reducer != null) {
                    reducer.backward(NativeTensors.wrap(loss));
                } else {
                    loss.backward();
                    if (group != null) {
                        List<dev.kodiak.tensor.Tensor> grads = new ArrayList<>();
                        for (var p : kp) {
                            grads.add(p.grad());
                        }
                        group.allReduceMean(grads);
                    }
                }
                try (var noGrad = Engine.noGrad()) {
                    for (long i = 0; i < params.size(); i++) {
                        params.get(i).sub_(params.get(i).grad().mul(new Scalar(0.01)));
                    }
                }
                if (s >= 0) {
                    ms[s] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        Arrays.sort(ms);
        double median = ms[steps / 2];
        if (rank == 0) {
            System.out.printf(Locale.ROOT, "%-9s %d x %d threads  bs %3d/rank  %8.0f ms/step  %6.1f img/s%n", mode, world,
                    threads, bs, median, globalBs / (median / 1e3));
        }
        if (reducer != null) {
            reducer.close();
        }
        if (group != null) {
            group.close();
        }
    }
}
