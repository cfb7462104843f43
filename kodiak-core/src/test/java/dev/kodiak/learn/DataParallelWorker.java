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
 * size, port, and optionally {@code stop CHECKPOINT} (stop after the frozen epoch, its checkpoint written) or
 * {@code resume CHECKPOINT}. Each rank seeds its initial weights differently (rank 0's must win by broadcast) and prints
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
            Run run = train(data, group, rank, args.length > 5 ? Mode.valueOf(args[4].toUpperCase(java.util.Locale.ROOT))
                    : Mode.WHOLE, args.length > 5 ? Path.of(args[5]) : null);
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

    /** Ends a STOP run's whole recipe where a kill would. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped after the frozen epoch, as a kill would");
        }
    }

    /** What a run does: the whole fine-tune, its first (frozen) epoch with a checkpoint, or the rest from one. */
    enum Mode { WHOLE, STOP, RESUME }

    /** Fine-tunes (one frozen epoch, one unfrozen with discriminative rates) on {@code group}, or alone when null. */
    static Run train(Path data, DistributedGroup group, int seed) {
        return train(data, group, seed, Mode.WHOLE, null);
    }

    /**
     * {@link #train(Path, DistributedGroup, int)} in parts: {@code STOP} writes {@code checkpoint} after the frozen
     * epoch and stops there (as a kill would), {@code RESUME} continues from it.
     */
    static Run train(Path data, DistributedGroup group, int seed, Mode mode, Path checkpoint) {
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
            LearnerTest.testWriter(learn); // checkpoints are model files
            if (mode == Mode.STOP) {
                learn.addCallback(new Checkpoint(checkpoint));
                learn.addCallback(new Callback() {
                    @Override
                    public int order() {
                        return 40; // after Checkpoint (30): the frozen epoch's checkpoint is written
                    }

                    @Override
                    public void afterEpoch(Learner l) {
                        throw new Stopped(); // not CancelFitException: that ends one fit, and fine_tune has two
                    }
                });
            }
            if (mode == Mode.RESUME) {
                learn.resume(checkpoint);
            } else {
                try {
                    learn.fineTune(1, 1e-1, 1, 10);
                } catch (Stopped e) {
                    // as if killed after the frozen epoch's checkpoint
                }
            }
            EpochResult last = learn.recorder().lastEpoch();
            var predictions = learn.recorder().lastPredictions(); // none kept when STOP cancels the fit
            return new Run(hashes, weights(learn), last == null ? Double.NaN : last.validLoss(),
                    predictions == null ? -1 : predictions.n(), last == null ? Double.NaN : last.trainLoss());
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
