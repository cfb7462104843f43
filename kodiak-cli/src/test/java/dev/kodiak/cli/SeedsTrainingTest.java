package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.data.SplitterSpec;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.ModelDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedsTrainingTest {
    @TempDir
    Path dir;

    private CliRun train(Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", data.toString(), "--weights", "none", "--epochs", "1",
                "--size", "32", "--bs", "8", "--precision", "fp32", "--workers", "2", "--json", "--out", out.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(new String[0]));
    }

    private static Manifest.Data training(Path model) {
        return ModelFile.read(model).manifest().trainingData();
    }

    @Test
    void eachSeedTrainsItsOwnModelOnTheSameSplitAndTheSummaryIsTheMeanAndSampleSdOfTheRuns() throws IOException {
        Path data = TestImages.folders(dir.resolve("shapes"), 12, "red", "blue");
        Path out = dir.resolve("m.kodiak");
        CliRun run = train(data, out, "--seeds", "1,2");
        assertThat(run.exitCode()).as(run.err()).isZero();

        List<JsonNode> rows = TrainCommandTest.lines(run.out());
        assertThat(rows).hasSize(5); // per seed: one epoch line and the final line; then the summary
        double[] errors = new double[2];
        double[] losses = new double[2];
        for (int s = 0; s < 2; s++) {
            JsonNode epoch = rows.get(2 * s);
            JsonNode fin = rows.get(2 * s + 1);
            assertThat(epoch.get("seed").asLong()).isEqualTo(s + 1);
            assertThat(epoch.get("phase").asText()).isEqualTo("train");
            assertThat(fin.get("seed").asLong()).isEqualTo(s + 1);
            assertThat(fin.get("model").asText()).isEqualTo(dir.resolve("m-seed" + (s + 1) + ".kodiak").toString());
            errors[s] = fin.get("final").get("error_rate").asDouble();
            losses[s] = fin.get("final").get("valid_loss").asDouble();
        }
        JsonNode summary = rows.get(4);
        assertThat(summary.get("metric").asText()).isEqualTo("error_rate");
        assertThat(summary.get("runs")).hasSize(2);
        for (int s = 0; s < 2; s++) {
            JsonNode r = summary.get("runs").get(s);
            assertThat(r.get("seed").asLong()).isEqualTo(s + 1);
            assertThat(r.get("value").asDouble()).isEqualTo(errors[s]);
            assertThat(r.get("model").asText()).isEqualTo(rows.get(2 * s + 1).get("model").asText());
        }
        assertThat(summary.get("mean").asDouble()).isCloseTo((errors[0] + errors[1]) / 2, within(1e-12));
        // the sample sd of two values is |a − b| / √2 (n − 1 = 1 in the divisor)
        assertThat(summary.get("sd").asDouble()).isCloseTo(Math.abs(errors[0] - errors[1]) / Math.sqrt(2), within(1e-12));
        assertThat(summary.get("range").get(0).asDouble()).isEqualTo(Math.min(errors[0], errors[1]));
        assertThat(summary.get("range").get(1).asDouble()).isEqualTo(Math.max(errors[0], errors[1]));
        assertThat(summary.get("split_seed").asLong()).isEqualTo(42);
        JsonNode loss = summary.get("metrics").get("valid_loss");
        assertThat(loss.get("mean").asDouble()).isCloseTo((losses[0] + losses[1]) / 2, within(1e-12));
        assertThat(loss.get("sd").asDouble()).isCloseTo(Math.abs(losses[0] - losses[1]) / Math.sqrt(2), within(1e-12));
        assertThat(summary.get("metrics").fieldNames()).toIterable().containsExactly("valid_loss", "error_rate", "accuracy");

        Path one = dir.resolve("m-seed1.kodiak");
        Path two = dir.resolve("m-seed2.kodiak");
        assertThat(out).doesNotExist();
        assertThat(Path.of(one + ".ckpt")).doesNotExist();
        assertThat(Path.of(two + ".ckpt")).doesNotExist();
        assertThat(ModelDigest.weightsSha256(one)).isNotEqualTo(ModelDigest.weightsSha256(two));
        assertThat(losses[0]).isNotEqualTo(losses[1]);
        assertThat(training(one).validFiles()).hasSize(4).isEqualTo(training(two).validFiles());
        assertThat(((SplitterSpec.Random) training(one).split()).seed()).isEqualTo(42);
        assertThat(((SplitterSpec.Random) training(two).split()).seed()).isEqualTo(42);
        assertThat(run.err()).contains("Run 1 of 2: training seed 1, split of --seed 42")
                .contains("Run 2 of 2: training seed 2").contains("mean").contains("error_rate over 2 runs: mean ");
    }

    @Test
    void resplitDrawsEachSplitWithTheRunsSeedAndThatRunIsTheSingleRunOfTheSameSeed() throws IOException {
        Path data = TestImages.folders(dir.resolve("shapes"), 12, "red", "blue");
        CliRun run = train(data, dir.resolve("r.kodiak"), "--seeds", "1,2", "--resplit");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(TrainCommandTest.lines(run.out()).get(4).get("split_seed").isNull()).isTrue();
        Path one = dir.resolve("r-seed1.kodiak");
        Path two = dir.resolve("r-seed2.kodiak");
        assertThat(((SplitterSpec.Random) training(one).split()).seed()).isEqualTo(1);
        assertThat(((SplitterSpec.Random) training(two).split()).seed()).isEqualTo(2);
        assertThat(training(one).validFiles()).hasSize(4).isNotEqualTo(training(two).validFiles());

        // the same code as one run: split and training seed 2 give run 2's model bit for bit
        Path single = dir.resolve("single.kodiak");
        CliRun alone = train(data, single, "--seed", "2");
        assertThat(alone.exitCode()).as(alone.err()).isZero();
        assertThat(ModelDigest.weightsSha256(single)).isEqualTo(ModelDigest.weightsSha256(two));
    }

    @Test
    void badSeedsAndSeedsWithResumeAreRefusedBeforeAnyTraining() throws IOException {
        Path data = TestImages.folders(dir.resolve("d"), 4, "a", "b");
        Path out = dir.resolve("m.kodiak");
        String[][] cases = {
                {"--seeds", "1,1"}, {"--seeds", "1,x"}, {"--seeds", ""}, {"--resplit"},
                {"--seeds", "1,2", "--resume", dir.resolve("m-seed1.kodiak.ckpt").toString()}};
        String[] messages = {
                "--seeds: seed 1 is given twice", "--seeds: seeds must be whole numbers separated by commas (e.g. 1,2,3), "
                + "but 'x' in '1,x' is not one", "--seeds: seeds must be whole numbers", "--resplit only applies with --seeds",
                "--seeds cannot be used with --resume: each seed's run has its own checkpoint"};
        for (int i = 0; i < cases.length; i++) {
            CliRun run = train(data, out, cases[i]);
            assertThat(run.exitCode()).as(run.err()).isNotZero();
            assertThat(run.err()).as(String.join(" ", cases[i])).contains(messages[i]);
            assertThat(run.out()).isEmpty();
        }
        assertThat(dir.resolve("m-seed1.kodiak")).doesNotExist();
    }

    @Test
    void aSeedsModelIsNamedAfterItsSeedNextToOut() {
        assertThat(SeedsTraining.modelFor(Path.of("out", "m.kodiak"), 3)).isEqualTo(Path.of("out", "m-seed3.kodiak"));
        assertThat(SeedsTraining.modelFor(Path.of("model"), 12)).isEqualTo(Path.of("model-seed12"));
        assertThat(SeedsTraining.modelFor(Path.of("m.kodiak"), -1)).isEqualTo(Path.of("m-seed-1.kodiak"));
    }

    @Test
    @Tag("slow")
    void oneSeedsCheckpointIsAPlainCheckpointThatResumesWithItsTrainingSeed() throws Exception {
        Path data = TestImages.folders(dir.resolve("d"), 20, "a", "b");
        List<String> train = List.of("train", data.toString(), "--weights", "none", "--epochs", "3", "--size", "32",
                "--bs", "16", "--precision", "fp32", "--workers", "2", "--seeds", "5");
        CliRun whole = CliRun.of(concat(train, "--out", dir.resolve("whole.kodiak").toString()));
        assertThat(whole.exitCode()).as(whole.err()).isZero();

        Path model = dir.resolve("m-seed5.kodiak");
        Path ckpt = Path.of(model + ".ckpt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(concat(train, "--out", dir.resolve("m.kodiak").toString())));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("KODIAK_OFFLINE", "1");
        Process child = pb.start();
        try {
            TrainCommandTest.awaitFile(ckpt, child, Duration.ofMinutes(3));
        } finally {
            child.destroyForcibly().waitFor();
        }
        assertThat(ckpt).as(Files.readString(dir.resolve("child.log"))).exists();
        assertThat(model).doesNotExist();
        // the split stays that of --seed 42; the loader and initialisation followed seed 5
        assertThat(ModelFile.read(ckpt).state().orElseThrow().get("plan").get("train_seed").asLong()).isEqualTo(5);

        CliRun resumed = CliRun.of("train", "--resume", ckpt.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(ModelDigest.weightsSha256(model)).isEqualTo(ModelDigest.weightsSha256(dir.resolve("whole-seed5.kodiak")));
        assertThat(((SplitterSpec.Random) training(model).split()).seed()).isEqualTo(42);
    }

    private static String[] concat(List<String> a, String... more) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }
}
