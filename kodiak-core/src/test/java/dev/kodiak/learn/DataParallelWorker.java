package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.distributed.DistributedGroup;
import dev.kodiak.engine.distributed.Rendezvous;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.testing.RawImageBlock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One rank of {@link DataParallelTest}'s data-parallel fine-tune, in its own JVM. Arguments: data folder, rank, world
 * size, port. Each rank seeds its initial weights differently (rank 0's must win by broadcast) and prints
 * {@code key=value} lines: the weights' hash after every step, the final weights, the validation loss and count.
 */
public final class DataParallelWorker {
    static final int GLOBAL_BATCH = 64;

    private DataParallelWorker() {
    }

    public static void main(String[] args) {
        Path data = Path.of(args[0]);
        int rank = Integer.parseInt(args[1]);
        int world = Integer.parseInt(args[2]);
        int port = Integer.parseInt(args[3]);
        try (DistributedGroup group = DistributedGroup.join(
                new Rendezvous("127.0.0.1", port, world, rank, Duration.ofSeconds(60)))) {
            Run run = train(data, group, rank);
            System.out.println("steps=" + String.join(",", run.stepHashes()));
            System.out.println("weights=" + Arrays.toString(run.weights()));
            System.out.println("valid_loss=" + run.validLoss());
            System.out.println("valid_n=" + run.validN());
            System.out.println("train_loss=" + run.trainLoss());
        } catch (KodiakException e) {
            System.out.println("error=" + e.getMessage().replace('\n', ' '));
        }
    }

    /** What one rank ended with. */
    record Run(List<String> stepHashes, float[] weights, double validLoss, int validN, double trainLoss) {
    }

    /** Fine-tunes (one frozen epoch, one unfrozen with discriminative rates) on {@code group}, or alone when null. */
    static Run train(Path data, DistributedGroup group, int seed) {
        DataLoaders<?> dls = DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .build().dataLoaders(data, LoaderOptions.defaults().withBatchSize(GLOBAL_BATCH).withWorkers(1));
        try (dls) {
            Engine.seed(seed);
            Learner learn = Learner.builder(dls, new NoNormNet(2)).metrics(Metrics.accuracy()).build();
            learn.dataParallel(group);
            List<String> hashes = new ArrayList<>();
            learn.addCallback(new Callback() {
                @Override
                public void afterStep(Learner l) {
                    hashes.add(Integer.toHexString(Arrays.hashCode(weights(l))));
                }
            });
            learn.fineTune(1, 1e-1, 1, 10);
            EpochResult last = learn.recorder().lastEpoch();
            return new Run(hashes, weights(learn), last.validLoss(), learn.recorder().lastPredictions().n(),
                    last.trainLoss());
        }
    }

    static float[] weights(Learner learn) {
        List<float[]> parts = learn.model().parameterGroups().stream().flatMap(List::stream)
                .map(dev.kodiak.tensor.Tensor::toFloatArray).collect(Collectors.toList());
        int n = parts.stream().mapToInt(p -> p.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
