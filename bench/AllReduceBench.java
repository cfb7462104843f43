import dev.kodiak.engine.CpuFeatures;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.distributed.DistributedGroup;
import dev.kodiak.engine.distributed.Rendezvous;
import dev.kodiak.tensor.Tensor;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.VisionModel;
import java.time.Duration;
import java.util.*;

/**
 * One rank of the all-reduce benchmark (bench/allreduce.sh starts the ranks): DistributedGroup.allReduceMean of
 * (a) the gradients of ResNet-18/34/50 (every parameter's shape, 1000 classes, 25 MB buckets, as a training step
 * would all-reduce them) and (b) single flat float tensors of 1, 4, 16 and 64 MB. Prints ms per all-reduce and the
 * payload rate (bytes of the tensors / time), median of ROUNDS after one warm-up.
 * Usage: java -cp kodiak-cli/target/kodiak.jar bench/AllReduceBench.java RANK WORLD PORT THREADS ROUNDS
 */
public class AllReduceBench {
    public static void main(String[] a) {
        int rank = Integer.parseInt(a[0]), world = Integer.parseInt(a[1]), port = Integer.parseInt(a[2]);
        int threads = Integer.parseInt(a[3]), rounds = Integer.parseInt(a[4]);
        Engine.init();
        Engine.setThreads(threads);
        if (rank == 0) {
            System.out.println("CPU: " + CpuFeatures.host().describe() + "; " + world + " processes x " + threads
                    + " libtorch threads, loopback 127.0.0.1, Gloo TCP");
            System.out.printf("%-22s %10s %8s %10s %10s%n", "payload", "MB", "tensors", "ms/op", "MB/s");
        }
        try (DistributedGroup group = DistributedGroup.join(
                new Rendezvous("127.0.0.1", port, world, rank, Duration.ofMinutes(2)))) {
            for (var arch : List.of(Architectures.RESNET18, Architectures.RESNET34, Architectures.RESNET50)) {
                VisionModel model = VisionModel.create(arch, 1000);
                List<Tensor> grads = new ArrayList<>();
                var params = model.parameters();
                for (long i = 0; i < params.size(); i++) {
                    grads.add(NativeTensors.wrap(params.get(i).detach().clone()));
                }
                run(group, arch.name() + " gradients", grads, rounds);
            }
            for (long mb : new long[]{1, 4, 16, 64}) {
                run(group, "flat " + mb + " MB", List.of(Tensor.ones(mb * (1 << 20) / 4)), rounds);
            }
        }
    }

    private static void run(DistributedGroup group, String name, List<Tensor> tensors, int rounds) {
        long bytes = 0;
        for (Tensor t : tensors) {
            bytes += t.numel() * 4;
        }
        double[] ms = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            try (StepScope scope = StepScope.open()) {
                group.barrier(); // start together: the time is the collective's, not a late peer's
                long t0 = System.nanoTime();
                group.allReduceMean(tensors);
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        Arrays.sort(ms);
        double median = ms[rounds / 2];
        if (group.rank() == 0) {
            System.out.printf(Locale.ROOT, "%-22s %10.1f %8d %10.1f %10.0f%n", name, bytes / 1e6, tensors.size(), median,
                    bytes / 1e6 / (median / 1e3));
        }
    }
}
