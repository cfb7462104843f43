package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static List<JsonNode> lines(String out) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void trainingFromScratchPrintsEpochJsonAndWritesASelfDescribingModel() throws IOException {
        Path data = TestImages.folders(dir.resolve("shapes"), 12, "red", "blue");
        Path model = dir.resolve("m.kodiak");
        CliRun run = CliRun.of("train", data.toString(), "--weights", "none", "--epochs", "2", "--size", "32",
                "--bs", "8", "--json", "--out", model.toString(), "--workers", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<JsonNode> out = lines(run.out());
        assertThat(out).hasSize(3);
        for (int e = 0; e < 2; e++) {
            JsonNode row = out.get(e);
            assertThat(row.get("phase").asText()).isEqualTo("train");
            assertThat(row.get("epoch").asInt()).isEqualTo(e);
            assertThat(row.get("train_loss").isNumber()).isTrue();
            assertThat(row.get("valid_loss").asDouble()).isPositive();
            assertThat(row.get("error_rate").asDouble() + row.get("accuracy").asDouble()).isEqualTo(1.0);
            assertThat(row.has("seconds")).isTrue();
            assertThat(row.get("data_wait_fraction").asDouble()).isBetween(0.0, 1.0);
        }
        JsonNode fin = out.get(2);
        assertThat(fin.get("final").get("error_rate").asDouble()).isEqualTo(out.get(1).get("error_rate").asDouble());
        assertThat(fin.get("model").asText()).isEqualTo(model.toAbsolutePath().toString());
        assertThat(run.err()).contains("epoch").contains("train_loss").contains("fit_one_cycle(2, 0.001)");

        Manifest m = ModelFile.read(model).manifest();
        assertThat(m.architecture()).isEqualTo("resnet18");
        assertThat(m.labels()).containsExactly("blue", "red");
        assertThat(m.task()).isEqualTo(Manifest.SINGLE_LABEL);
        assertThat(m.itemTransforms()).containsExactly(Map.of("type", "resize", "height", 32, "width", 32,
                "method", "crop", "pad_mode", "reflection"));
        assertThat(m.normalization().mean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(m.training().validFiles()).hasSize(4); // floor(0.2 × 24)
        assertThat(m.training().recipe()).startsWith("fit_one_cycle(2");
        assertThat(m.training().pretrained()).isEqualTo("none");
        assertThat(m.training().split()).containsEntry("kind", "random").containsEntry("seed", 42);
        assertThat(Path.of(model + ".ckpt")).doesNotExist();
    }

    @Test
    void autoWeightsOfflineWarnLoudlyAndTrainFromScratch() throws IOException {
        Path data = TestImages.folders(dir.resolve("d"), 8, "a", "b");
        CliRun run = CliRun.of("train", data.toString(), "--epochs", "1", "--size", "32", "--bs", "4",
                "--out", dir.resolve("m.kodiak").toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("WARNING").contains("no pretrained weights for resnet18")
                .contains("kodiak weights fetch resnet18");
        assertThat(lines(run.out()).get(0).get("phase").asText()).isEqualTo("train");
    }

    @Test
    void aBrokenImageIsSkippedAndReportedInsteadOfStoppingTraining() throws IOException {
        Path data = TestImages.folders(dir.resolve("d"), 8, "a", "b");
        Path broken = data.resolve("a").resolve("zz_truncated.png");
        byte[] png = Files.readAllBytes(data.resolve("a").resolve("a_00.png"));
        Files.write(broken, java.util.Arrays.copyOf(png, png.length / 2));
        CliRun run = CliRun.of("train", data.toString(), "--weights", "none", "--epochs", "1", "--size", "32",
                "--bs", "4", "--valid-pct", "0.25", "--out", dir.resolve("m.kodiak").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("could not be read").contains("zz_truncated.png").contains("kodiak verify");
        assertThat(broken).exists(); // reported, never deleted
    }

    @Test
    void namedWeightsThatCannotBeHadAreAnErrorAndBadFlagsAreUsageErrors() throws IOException {
        Path data = TestImages.folders(dir.resolve("d"), 4, "a", "b");
        CliRun named = CliRun.of("train", data.toString(), "--weights", "resnet34", "--arch", "resnet34",
                "--size", "32", "--out", dir.resolve("x.kodiak").toString());
        assertThat(named.exitCode()).isEqualTo(1);
        assertThat(named.err()).startsWith("kodiak: ").contains("resnet34").contains("download.pytorch.org");
        CliRun arch = CliRun.of("train", data.toString(), "--arch", "resnet99");
        assertThat(arch.exitCode()).isEqualTo(1);
        assertThat(arch.err()).contains("resnet99").contains("resnet18");
        CliRun epochs = CliRun.of("train", data.toString(), "--epochs", "0");
        assertThat(epochs.exitCode()).isNotZero();
        assertThat(epochs.err()).contains("--epochs");
        assertThat(dir.resolve("x.kodiak")).doesNotExist();
    }

    @Test
    @Tag("slow")
    void aKilledTrainingRunResumesFromItsCheckpoint() throws Exception {
        Path data = TestImages.folders(dir.resolve("d"), 16, "a", "b");
        Path model = dir.resolve("m.kodiak");
        Path ckpt = Path.of(model + ".ckpt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-DKODIAK_OFFLINE=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", data.toString(), "--weights", "none", "--epochs", "5", "--size", "32", "--bs", "8",
                "--out", model.toString(), "--workers", "1"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.exists(ckpt) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Thread.sleep(300); // let the first checkpoint be complete (it is written atomically anyway)
        child.destroyForcibly().waitFor();
        assertThat(ckpt).as(Files.readString(dir.resolve("child.log"))).exists();
        assertThat(model).doesNotExist();
        JsonNode state = ModelFile.read(ckpt).state().orElseThrow();
        int done = state.get("epoch").asInt();

        CliRun resumed = CliRun.of("train", "--resume", ckpt.toString(), "--json");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        List<JsonNode> out = lines(resumed.out());
        assertThat(out.get(0).get("epoch").asInt()).isEqualTo(done + 1);
        assertThat(out.get(out.size() - 2).get("epoch").asInt()).isEqualTo(4);
        assertThat(resumed.err()).contains("Resuming from");
        assertThat(model).exists();
        assertThat(ckpt).doesNotExist();
    }
}
