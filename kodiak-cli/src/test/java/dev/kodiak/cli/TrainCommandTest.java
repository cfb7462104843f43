package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.data.SplitterSpec;
import dev.kodiak.learn.Recipe;
import dev.kodiak.model.ItemTransformSpec;
import dev.kodiak.model.Manifest;
import dev.kodiak.io.StateDict;
import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.JavaProcess;
import dev.kodiak.testing.ModelDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Each line of a {@code --json} run's stdout, parsed. */
    static List<JsonNode> lines(String out) throws IOException {
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
        assertThat(run.err()).contains("epoch").contains("train_loss").contains("fit_one_cycle(2, lr_max=0.001)");

        Manifest m = ModelFile.read(model).manifest();
        assertThat(m.model().architecture()).isEqualTo("resnet18");
        assertThat(m.output().labels()).containsExactly("blue", "red");
        assertThat(m.output().task()).isEqualTo(Manifest.SINGLE_LABEL);
        assertThat(m.input().itemTransforms()).containsExactly(new ItemTransformSpec.Resize(32, 32, "crop", "reflection"));
        assertThat(m.input().normalization().mean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(m.trainingData().validFiles()).hasSize(4); // floor(0.2 × 24)
        assertThat(m.training().recipe()).isEqualTo(Recipe.fitOneCycle(2, 1e-3));
        assertThat(m.training().pretrained()).isEqualTo("none");
        assertThat(m.trainingData().split()).isEqualTo(new SplitterSpec.Random(0.2, 0, 42));
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
    void aRunKilledAfterItsFirstCheckpointResumesInANewJvmToBitIdenticalWeightsAndLosses() throws Exception {
        Path data = TestImages.folders(dir.resolve("d"), 20, "a", "b");
        List<String> train = List.of("train", data.toString(), "--weights", "none", "--epochs", "3", "--size", "32",
                "--bs", "16", "--precision", "fp32", "--seed", "42", "--workers", "2", "--json");
        Path whole = dir.resolve("whole.kodiak");
        JavaProcess.Result uninterrupted = cli(concat(train, "--out", whole.toString())).run();
        assertThat(uninterrupted.exitCode()).as(uninterrupted.describe()).isZero();
        List<JsonNode> wholeRows = lines(uninterrupted.stdout());

        Path model = dir.resolve("m.kodiak");
        Path ckpt = Path.of(model + ".ckpt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(concat(train, "--out", model.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("KODIAK_OFFLINE", "1");
        Process child = pb.start();
        try {
            awaitFile(ckpt, child, Duration.ofMinutes(3)); // written atomically: complete as soon as it exists
        } finally {
            child.destroyForcibly().waitFor(); // a real kill: no shutdown hooks, no finally blocks in the child
        }
        assertThat(ckpt).as(Files.readString(dir.resolve("child.log"))).exists();
        assertThat(model).doesNotExist();
        int done = ModelFile.read(ckpt).state().orElseThrow().get("epoch").asInt();
        assertThat(done).isBetween(0, 1);
        // what a kill during the next checkpoint write leaves behind, and files that only look alike
        Path stale = Files.writeString(dir.resolve(".m.kodiak.ckpt4471826613.tmp"), "half a zip");
        Path notOurs = Files.writeString(dir.resolve(".m.kodiak.ckpt.notes.tmp"), "keep");

        JavaProcess.Result resumed = cli(List.of("train", "--resume", ckpt.toString(), "--json")).run();
        assertThat(resumed.exitCode()).as(resumed.describe()).isZero();
        assertThat(resumed.stderr()).contains("Resuming from");
        List<JsonNode> rows = lines(resumed.stdout());
        assertThat(rows).hasSize(3 - (done + 1) + 1);
        for (int i = 0; i < rows.size() - 1; i++) {
            JsonNode row = rows.get(i);
            JsonNode same = wholeRows.get(done + 1 + i);
            assertThat(row.get("epoch").asInt()).isEqualTo(same.get("epoch").asInt());
            assertThat(row.get("train_loss").asDouble()).isEqualTo(same.get("train_loss").asDouble());
            assertThat(row.get("valid_loss").asDouble()).isEqualTo(same.get("valid_loss").asDouble());
        }
        assertThat(ModelDigest.weightsSha256(model)).isEqualTo(ModelDigest.weightsSha256(whole));
        assertThat(ckpt).doesNotExist();
        assertThat(stale).doesNotExist();
        assertThat(notOurs).exists();
    }

    private static JavaProcess cli(List<String> args) {
        return JavaProcess.of(Main.class).args(args.toArray(new String[0])).env("KODIAK_OFFLINE", "1")
                .timeout(Duration.ofMinutes(3));
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(more));
        return all;
    }

    /** Waits (bounded) until {@code file} appears, watching its folder rather than sleeping. */
    static void awaitFile(Path file, Process writer, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        try (WatchService watch = file.getFileSystem().newWatchService()) {
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(file) && writer.isAlive() && System.nanoTime() < deadline) {
                WatchKey key = watch.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    /** A checkpoint as `kodiak train` writes it, with weights from a finished run and the given training state. */
    private Path checkpoint(Path data, String stateJson) throws IOException {
        Path model = dir.resolve("one.kodiak");
        if (!Files.exists(model)) {
            CliRun run = CliRun.of("train", data.toString(), "--weights", "none", "--epochs", "1", "--size", "32",
                    "--bs", "4", "--precision", "fp32", "--out", model.toString());
            assertThat(run.exitCode()).as(run.err()).isZero();
        }
        ModelFile.Contents c = ModelFile.read(model);
        Path ckpt = dir.resolve("edited.kodiak.ckpt");
        ModelFile.write(ckpt, c.manifest(), c.weights(), StateDict.of(List.of()), JSON.readTree(stateJson));
        return ckpt;
    }

    private static String state(Path data, String epoch, String planEdit) {
        String plan = "\"dir\":\"" + data.toAbsolutePath() + "\",\"valid_pct\":0.2,\"test_pct\":0.0,\"seed\":42,"
                + "\"splitter\":null,\"time_key\":null,\"labels\":\"folder\",\"arch\":\"resnet18\",\"weights\":\"none\","
                + "\"epochs\":3,\"freeze_epochs\":1,\"lr\":null,\"bs\":4,\"size\":32,\"resize\":\"crop\","
                + "\"augment\":false,\"metrics\":null,\"precision\":\"fp32\",\"early_stop\":null";
        String[] edit = planEdit.split("=", 2);
        if (edit.length == 2) {
            plan = plan.replaceFirst("\"" + edit[0] + "\":[^,]*", edit[1].isEmpty() ? "" : "\"" + edit[0] + "\":" + edit[1])
                    .replace(",,", ",");
        }
        return "{\"phase\":\"train\",\"epoch\":" + epoch + ",\"epochs\":3,\"plan\":{" + plan + "},"
                + "\"recipe\":{\"kind\":\"fit_one_cycle\",\"epochs\":3,\"lr_kind\":\"SINGLE\",\"lr_lo\":0.001,"
                + "\"lr_hi\":0.001,\"pct_start\":0.25,\"div\":25.0,\"div_final\":100000.0,\"mom_start\":0.95,"
                + "\"mom_mid\":0.85,\"mom_end\":0.95},\"pretrained\":\"none\"}";
    }

    @Test
    void aDamagedCheckpointOrAChangedOptionIsRefusedBeforeAnyTraining() throws IOException {
        Path data = TestImages.folders(dir.resolve("d"), 6, "a", "b");
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("7|", new String[] {"cannot be resumed: its last completed epoch is 7, but the train phase has 3 epoch(s)"});
        // (the epoch and recipe checks case by case: CheckpointTest)
        cases.put("0|bs=", new String[] {"cannot be resumed: its saved option 'bs' is missing"});
        cases.put("0|bs=\"sixteen\"", new String[] {"its saved option 'bs' is \"sixteen\", not a whole number"});
        cases.put("0|epochs=0", new String[] {"its saved options are invalid: --epochs must be at least 1"});
        cases.put("0|precision=\"fp8\"", new String[] {"its saved options are invalid: precision 'fp8'"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String[] parts = c.getKey().split("\\|", -1);
            Path ckpt = checkpoint(data, state(data, parts[0], parts[1]));
            CliRun run = CliRun.of("train", "--resume", ckpt.toString(), "--json");
            assertThat(run.exitCode()).as(c.getKey() + ": " + run.err()).isEqualTo(1);
            assertThat(run.err()).as(c.getKey()).startsWith("kodiak: checkpoint " + ckpt).contains(c.getValue())
                    .contains("Start the run again without --resume").doesNotContain("Exception");
            assertThat(run.out()).as(c.getKey()).isEmpty(); // not one epoch ran
        }
        Path noRecipe = checkpoint(data, "{\"phase\":\"train\",\"epoch\":0}");
        CliRun run = CliRun.of("train", "--resume", noRecipe.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("kodiak: checkpoint ").contains("no training recipe");
        com.fasterxml.jackson.databind.node.ObjectNode withoutPlan = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(state(data, "0", ""));
        withoutPlan.remove("plan");
        run = CliRun.of("train", "--resume", checkpoint(data, withoutPlan.toString()).toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("kodiak: checkpoint ").contains("has no saved training options");

        Path good = checkpoint(data, state(data, "0", ""));
        CliRun changed = CliRun.of("train", "--resume", good.toString(), "--epochs", "5", "--bs", "8");
        assertThat(changed.exitCode()).isNotZero();
        assertThat(changed.err()).contains("--epochs, --bs cannot be used with --resume");
        CliRun otherDir = CliRun.of("train", dir.toString(), "--resume", good.toString());
        assertThat(otherDir.exitCode()).isNotZero();
        assertThat(otherDir.err()).contains("DIR " + dir + " cannot be used with --resume");
    }

    @Test
    void mixupCutmixAndAccumulateAreRefusedOutOfRangeOrTogether() throws IOException {
        Path data = TestImages.folders(dir.resolve("d"), 4, "a", "b");
        Map<String, String[]> cases = new java.util.LinkedHashMap<>();
        cases.put("--mixup must be a positive number (fastai uses 0.4), got 0.0", new String[] {"--mixup", "0"});
        cases.put("--mixup must be a positive number (fastai uses 0.4), got NaN", new String[] {"--mixup", "NaN"});
        cases.put("--cutmix must be a positive number (fastai uses 1.0), got -1.0", new String[] {"--cutmix", "-1"});
        cases.put("--accumulate must be at least 1 (batches per optimizer step), got 0", new String[] {"--accumulate", "0"});
        cases.put("--mixup and --cutmix cannot be used together", new String[] {"--mixup", "0.4", "--cutmix", "1"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("train", data.toString(), "--weights", "none", "--size", "32",
                    "--out", dir.resolve("x.kodiak").toString()));
            args.addAll(List.of(c.getValue()));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(c.getKey()).isNotZero();
            assertThat(run.err()).as(String.join(" ", c.getValue())).contains(c.getKey());
        }
        assertThat(dir.resolve("x.kodiak")).doesNotExist();
        assertThat(CliRun.of("train", "--help").out()).contains("--mixup=ALPHA").contains("--cutmix=ALPHA")
                .contains("--accumulate=N");
    }

    @Test
    @Tag("slow")
    void mixupCutmixAndAccumulateTrainAndAResumedRunKeepsThem() throws IOException {
        Path data = TestImages.folders(dir.resolve("d"), 6, "a", "b");
        // written where checkpoint() looks for a finished run's weights, so the resume cases below reuse them
        CliRun mixup = CliRun.of("train", data.toString(), "--weights", "none", "--epochs", "1", "--size", "32",
                "--bs", "4", "--precision", "fp32", "--mixup", "0.4", "--accumulate", "2", "--json",
                "--out", dir.resolve("one.kodiak").toString());
        assertThat(mixup.exitCode()).as(mixup.err()).isZero();
        assertThat(mixup.err()).contains("MixUp on the training batches (alpha 0.4)")
                .contains("One optimizer step every 2 batches (gradient accumulation: 8 images per step)");
        assertThat(lines(mixup.out()).get(0).get("train_loss").asDouble()).isPositive();

        // the saved options come back on --resume (CutMix trains here); giving them again is refused, a bad one too
        Path ckpt = checkpoint(data, state(data, "1", "early_stop=null,\"cutmix\":1.0,\"accumulate\":2"));
        CliRun resumed = CliRun.of("train", "--resume", ckpt.toString(), "--json");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("CutMix on the training batches (alpha 1.0)")
                .contains("One optimizer step every 2 batches");
        assertThat(lines(resumed.out()).get(0).get("epoch").asInt()).isEqualTo(2);
        assertThat(lines(resumed.out()).get(0).get("train_loss").asDouble()).isPositive();
        Path again = checkpoint(data, state(data, "1", "early_stop=null,\"mixup\":0.4"));
        CliRun given = CliRun.of("train", "--resume", again.toString(), "--mixup", "0.4");
        assertThat(given.exitCode()).isNotZero();
        assertThat(given.err()).contains("--mixup cannot be used with --resume");
        Path bad = checkpoint(data, state(data, "1", "early_stop=null,\"accumulate\":0"));
        CliRun refused = CliRun.of("train", "--resume", bad.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("its saved options are invalid: --accumulate must be at least 1");
    }
}
