package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.JavaProcess;
import dev.kodiak.testing.ModelDigest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kodiak train --processes N} and ranks started by hand (issue #18), each rank a real JVM. */
class DataParallelTrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Tag("slow")
    void twoProcessesTrainOneModelAndSayItInTheJsonAndTheModelFile() throws IOException {
        Path data = TestImages.folders(dir.resolve("d"), 16, "a", "b");
        Path model = dir.resolve("m.kodiak");
        JavaProcess.Result run = JavaProcess.of(Main.class)
                .args("train", data.toString(), "--weights", "none", "--epochs", "1", "--size", "32", "--bs", "16",
                        "--precision", "fp32", "--json", "--out", model.toString(), "--processes", "2", "--threads", "2")
                .env("KODIAK_OFFLINE", "1").timeout(Duration.ofMinutes(3)).run();
        assertThat(run.exitCode()).as(run.describe()).isZero();
        List<JsonNode> lines = TrainCommandTest.lines(run.stdout()); // every stdout line is JSON: Gloo's notice is gone
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).get("world_size").asInt()).isEqualTo(2);
        assertThat(lines.get(1).get("final").get("valid_loss").asDouble()).isPositive();
        assertThat(run.stderr()).contains("Training data-parallel in 2 processes").doesNotContain("[Gloo]")
                .doesNotContain("[rank 1] Data:"); // rank 1 trains quietly
        assertThat(run.stderr().lines().filter(l -> l.startsWith("epoch")).count()).isEqualTo(1); // one table
        assertThat(ModelFile.read(model).manifest().training().worldSize()).isEqualTo(2);
        assertThat(Path.of(model + ".ckpt")).doesNotExist();
    }

    @Test
    @Tag("slow")
    void aKilledRankStopsTheOtherWithItsNameAndTheCheckpointResumesBitExactly() throws Exception {
        Path data = TestImages.folders(dir.resolve("d"), 16, "a", "b");
        Path model = dir.resolve("m.kodiak");
        Path ckpt = Path.of(model + ".ckpt");
        String address = "127.0.0.1:" + freePort();
        Process rank0 = rank(data, model, address, 0);
        Process rank1 = rank(data, model, address, 1);
        List<String> out = new ArrayList<>();
        boolean sawEpoch = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(rank0.getInputStream(), StandardCharsets.UTF_8))) {
            // rank 0 prints epoch 0's row once both ranks have validated it: rank 1 is killed in epoch 1 (or later)
            for (String line; !sawEpoch && (line = in.readLine()) != null; ) {
                sawEpoch = line.startsWith("{\"phase\"");
                out.add(line);
            }
            rank1.destroyForcibly().waitFor();
            in.transferTo(java.io.Writer.nullWriter());
        } finally {
            rank1.destroyForcibly();
        }
        assertThat(sawEpoch).as("rank 0 ended before its first epoch: %s", out).isTrue();
        assertThat(rank0.waitFor(2, TimeUnit.MINUTES)).isTrue();
        String err = Files.readString(dir.resolve("rank0.log"));
        assertThat(rank0.exitValue()).as(err).isEqualTo(1);
        assertThat(err.lines().filter(l -> l.startsWith("kodiak: ")).findFirst()).as(err).hasValueSatisfying(
                l -> assertThat(l).contains("rank 1").contains("resume"));
        assertThat(model).doesNotExist();
        assertThat(ckpt).as(err).exists();
        assertThat(ModelFile.read(ckpt).state().orElseThrow().get("epoch").asInt()).isEqualTo(0);

        // resumed on two processes: bit-identical to an uninterrupted two-process run
        JavaProcess.Result resumed = JavaProcess.of(Main.class).args("train", "--resume", ckpt.toString(), "--json",
                "--processes", "2", "--threads", "2").env("KODIAK_OFFLINE", "1").timeout(Duration.ofMinutes(3)).run();
        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        List<JsonNode> rows = TrainCommandTest.lines(resumed.stdout());
        assertThat(rows).hasSize(3); // epochs 1 and 2, then the final line
        assertThat(rows.get(0).get("epoch").asInt()).isEqualTo(1);
        assertThat(rows.get(2).get("world_size").asInt()).isEqualTo(2);
        Path whole = dir.resolve("whole.kodiak");
        List<String> args = new ArrayList<>(trainArgs(data, whole));
        args.addAll(List.of("--processes", "2", "--threads", "2"));
        JavaProcess.Result uninterrupted = JavaProcess.of(Main.class).args(args.toArray(new String[0]))
                .env("KODIAK_OFFLINE", "1").timeout(Duration.ofMinutes(3)).run();
        assertThat(uninterrupted.exitCode()).as(uninterrupted.describe()).isZero();
        List<JsonNode> wholeRows = TrainCommandTest.lines(uninterrupted.stdout());
        for (int e = 1; e < 3; e++) {
            assertThat(rows.get(e - 1).get("train_loss").asDouble()).isEqualTo(wholeRows.get(e).get("train_loss").asDouble());
            assertThat(rows.get(e - 1).get("valid_loss").asDouble()).isEqualTo(wholeRows.get(e).get("valid_loss").asDouble());
        }
        assertThat(ModelDigest.weightsSha256(model)).isEqualTo(ModelDigest.weightsSha256(whole));
    }

    private static List<String> trainArgs(Path data, Path model) {
        return List.of("train", data.toString(), "--weights", "none", "--epochs", "3", "--size", "32", "--bs", "16",
                "--precision", "fp32", "--seed", "42", "--workers", "1", "--json", "--out", model.toString());
    }

    private Process rank(Path data, Path model, String address, int rank) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:ErrorFile=" + dir.resolve("hs_err_%p.log"), "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(trainArgs(data, model));
        cmd.addAll(List.of("--nodes", "2", "--rank", String.valueOf(rank), "--rendezvous", address, "--threads", "1"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(dir.resolve("rank" + rank + ".log").toFile()); // a full pipe must not stall a rank
        if (rank != 0) {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        pb.environment().put("KODIAK_OFFLINE", "1");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
