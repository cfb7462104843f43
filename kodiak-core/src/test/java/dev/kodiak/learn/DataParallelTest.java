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

    private List<JavaProcess.Result> runPair() {
        String port = String.valueOf(freePort());
        List<CompletableFuture<JavaProcess.Result>> ranks = List.of(0, 1).stream()
                .map(rank -> CompletableFuture.supplyAsync(() -> JavaProcess.of(DataParallelWorker.class)
                        .jvmArgs("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-XX:-CreateCoredumpOnCrash")
                        .env("KODIAK_THREADS", "1")
                        .args(dir.toString(), String.valueOf(rank), "2", port)
                        .timeout(Duration.ofMinutes(2))
                        .run()))
                .toList();
        return ranks.stream().map(CompletableFuture::join).toList();
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
