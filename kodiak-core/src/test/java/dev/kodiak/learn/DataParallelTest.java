package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.testing.JavaProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataParallelTest {
    @TempDir
    Path dir;

    /**
     * Two ranks × half of every global batch of 64 end where one process with batch 64 does: same weights (1e-5),
     * through a fine-tune (frozen then unfrozen, one-cycle, discriminative rates), from different initial weights
     * (rank 0's are broadcast); the ranks' weights are bit-identical after every step; the validation loss covers
     * the whole validation set.
     */
    @Test
    @Tag("slow")
    void twoRanksTrainExactlyAsOneProcessWithTheGlobalBatch() throws IOException {
        ColourImages.write(dir, 100); // 200 items: 150 training (2 global batches per epoch), 50 validation
        DataParallelWorker.Run alone = DataParallelWorker.train(dir, null, 0);
        assertThat(alone.stepHashes()).hasSize(4);

        List<JavaProcess.Result> ranks = runPair();
        for (JavaProcess.Result r : ranks) {
            assertThat(r.value("error")).as(r.describe()).isNull();
            assertThat(r.value("valid_n")).as(r.describe()).isEqualTo("50");
            assertThat(Double.parseDouble(r.value("valid_loss"))).isCloseTo(alone.validLoss(), within(1e-5));
            assertThat(Double.parseDouble(r.value("train_loss"))).isCloseTo(alone.trainLoss(), within(1e-5));
            float[] w = parse(r.value("weights"));
            assertThat(w).hasSameSizeAs(alone.weights());
            for (int i = 0; i < w.length; i++) {
                assertThat(w[i]).as("weight %d", i).isCloseTo(alone.weights()[i], within(1e-5f));
            }
        }
        String steps = ranks.get(0).value("steps");
        assertThat(steps.split(",")).hasSize(4);
        assertThat(ranks.get(1).value("steps")).isEqualTo(steps);
    }

    /**
     * A checkpoint does not depend on the number of processes that wrote it: the global batch, hence the steps per
     * epoch and the one-cycle schedule, are the same for any N. Written by two ranks after the frozen epoch, it resumes
     * in one process; written by one process, it resumes on two ranks — and both end with the uninterrupted run's
     * weights (1e-5), which they would not if the resumed schedule were at another position (other learning rates,
     * other momentum, another phase).
     */
    @Test
    @Tag("slow")
    void aCheckpointOfTwoRanksResumesInOneProcessAndOneOfOneProcessOnTwoRanks() throws IOException {
        ColourImages.write(dir, 100);
        DataParallelWorker.Run alone = DataParallelWorker.train(dir, null, 0);

        Path byTwo = dir.resolve("two.kodiak.ckpt");
        runPair("stop", byTwo.toString()).forEach(r -> assertThat(r.value("error")).as(r.describe()).isNull());
        assertThat(byTwo).exists();
        DataParallelWorker.Run resumedAlone = DataParallelWorker.train(dir, null, 0, DataParallelWorker.Mode.RESUME, byTwo);
        assertSameWeights(resumedAlone.weights(), alone.weights());
        assertThat(resumedAlone.validLoss()).isCloseTo(alone.validLoss(), within(1e-5));
        assertThat(resumedAlone.stepHashes()).hasSize(2); // the unfrozen epoch's two steps only

        Path byOne = dir.resolve("one.kodiak.ckpt");
        DataParallelWorker.train(dir, null, 0, DataParallelWorker.Mode.STOP, byOne);
        for (JavaProcess.Result r : runPair("resume", byOne.toString())) {
            assertThat(r.value("error")).as(r.describe()).isNull();
            assertSameWeights(parse(r.value("weights")), alone.weights());
            assertThat(Double.parseDouble(r.value("valid_loss"))).isCloseTo(alone.validLoss(), within(1e-5));
            assertThat(r.value("steps").split(",")).hasSize(2);
        }
    }

    private static void assertSameWeights(float[] w, float[] expected) {
        assertThat(w).hasSameSizeAs(expected);
        for (int i = 0; i < w.length; i++) {
            assertThat(w[i]).as("weight %d", i).isCloseTo(expected[i], within(1e-5f));
        }
    }

    private List<JavaProcess.Result> runPair(String... mode) {
        String port = String.valueOf(freePort());
        List<CompletableFuture<JavaProcess.Result>> ranks = List.of(0, 1).stream()
                .map(rank -> CompletableFuture.supplyAsync(() -> JavaProcess.of(DataParallelWorker.class)
                        .jvmArgs("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash")
                        .env("KODIAK_THREADS", "1")
                        .args(args(rank, port, mode))
                        .timeout(Duration.ofMinutes(2))
                        .run()))
                .toList();
        return ranks.stream().map(CompletableFuture::join).toList();
    }

    private String[] args(int rank, String port, String... mode) {
        List<String> args = new java.util.ArrayList<>(List.of(dir.toString(), String.valueOf(rank), "2", port));
        args.addAll(List.of(mode));
        return args.toArray(new String[0]);
    }

    private static float[] parse(String list) {
        String[] parts = list.substring(1, list.length() - 1).split(", ");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
