package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.compare.McNemar;
import dev.kodiak.compare.SampleSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare on tiny models trained once for the class, checked against the models' own predict --json answers. */
class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path data;
    static Path crop;
    static Path squish;
    static Path otherSplit;

    @BeforeAll
    static void train() throws IOException {
        data = TestImages.folders(dir.resolve("shapes"), 10, "cats", "dogs");
        crop = train("crop.kodiak", "--resize", "crop");
        squish = train("squish.kodiak", "--resize", "squish");
        otherSplit = train("other-split.kodiak", "--seed", "7");
    }

    private static Path train(String name, String... extra) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", data.toString(), "--weights", "none", "--size", "32",
                "--bs", "8", "--epochs", "1", "--freeze-epochs", "0", "--out", out.toString(), "--json"));
        args.addAll(List.of(extra));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        return out;
    }

    @Test
    void jsonAgreesWithWhatPredictSaysAboutEachValidationImage() throws IOException {
        CliRun run = CliRun.of("compare", crop.toString(), squish.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode r = JSON.readTree(lines[0]);
        List<String> keys = new ArrayList<>();
        r.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("n", "task", "a", "b", "difference", "difference_ci", "discordant", "test",
                "p_value", "items_for_80pct_power");
        assertThat(r.get("task").asText()).isEqualTo("single-label");
        assertThat(r.get("test").asText()).isEqualTo("mcnemar-exact");
        assertThat(r.get("a").get("model").asText()).isEqualTo(crop.toAbsolutePath().toString());

        // recompute everything from predict --json on A's recorded validation files
        JsonNode info = JSON.readTree(CliRun.of("info", crop.toString(), "--json").out().strip());
        List<String> files = new ArrayList<>();
        info.at("/training/data/valid_files").forEach(f -> files.add(data.resolve(f.asText()).toString()));
        Map<String, Boolean> rightA = correct(crop, files);
        Map<String, Boolean> rightB = correct(squish, files);
        int n = files.size();
        int errorsA = 0;
        int errorsB = 0;
        int aOnly = 0;
        int bOnly = 0;
        for (String f : files) {
            errorsA += rightA.get(f) ? 0 : 1;
            errorsB += rightB.get(f) ? 0 : 1;
            aOnly += rightA.get(f) && !rightB.get(f) ? 1 : 0;
            bOnly += !rightA.get(f) && rightB.get(f) ? 1 : 0;
        }
        assertThat(r.get("n").asInt()).isEqualTo(n).isEqualTo(4);
        assertThat(r.get("a").get("error_rate").asDouble()).isCloseTo((double) errorsA / n, within(1e-12));
        assertThat(r.get("b").get("error_rate").asDouble()).isCloseTo((double) errorsB / n, within(1e-12));
        assertThat(r.get("difference").asDouble()).isCloseTo((double) (errorsB - errorsA) / n, within(1e-12));
        assertThat(r.get("discordant").get("a_only").asInt()).isEqualTo(aOnly);
        assertThat(r.get("discordant").get("b_only").asInt()).isEqualTo(bOnly);
        assertThat(r.get("p_value").asDouble()).isEqualTo(new McNemar(aOnly, bOnly).pValue());
        for (String m : List.of("a", "b")) {
            JsonNode ci = r.get(m).get("ci");
            assertThat(ci.get(0).asDouble()).isLessThanOrEqualTo(r.get(m).get("error_rate").asDouble());
            assertThat(ci.get(1).asDouble()).isGreaterThanOrEqualTo(r.get(m).get("error_rate").asDouble());
        }
        assertThat(r.get("difference_ci").get(0).asDouble()).isLessThanOrEqualTo(r.get("difference").asDouble());
        assertThat(r.get("difference_ci").get(1).asDouble()).isGreaterThanOrEqualTo(r.get("difference").asDouble());
        if (aOnly == bOnly) {
            assertThat(r.get("items_for_80pct_power").isNull()).isTrue();
        } else {
            assertThat(r.get("items_for_80pct_power").asLong())
                    .isEqualTo(SampleSize.mcNemar((double) aOnly / n, (double) bOnly / n, 0.8, 0.05).getAsLong());
        }
        assertThat(run.err()).doesNotContain("WARNING"); // same split: neither model trained on these images
    }

    @Test
    void humanOutputGivesEstimatesFirstThenTheTestAndAReading() {
        CliRun run = CliRun.of("compare", crop.toString(), squish.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Comparing on A's validation split of " + data + ": 4 images")
                .contains("error rate").contains("95% CI").contains("Difference B − A: ")
                .contains("only A gets right").contains("McNemar's exact test (two-sided): p = ")
                // which reading depends on how the two tiny models happen to disagree; each case has its own words
                .containsPattern("(chance alone could well produce|unlikely if chance alone|no item tells the models "
                        + "apart)");
        assertThat(run.out().indexOf("Difference B − A")).isLessThan(run.out().indexOf("McNemar"));
    }

    @Test
    void saysLoudlyWhenBTrainedOnTheComparedImages() {
        CliRun run = CliRun.of("compare", crop.toString(), otherSplit.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("B (" + otherSplit + ") WAS TRAINED ON ").contains("OF THESE 4 IMAGES");
        assertThat(run.err()).doesNotContain("A (" + crop + ") WAS TRAINED");
        // with --all both models trained on most images
        CliRun all = CliRun.of("compare", crop.toString(), squish.toString(), "--all");
        assertThat(all.exitCode()).as(all.err()).isZero();
        assertThat(all.err()).contains("A (" + crop + ") WAS TRAINED ON 16 OF THESE 20 IMAGES")
                .contains("B (" + squish + ") WAS TRAINED ON 16 OF THESE 20 IMAGES");
    }

    @Test
    void refusesModelsWithDifferentLabelsAndABadSplit() throws IOException {
        Path birds = TestImages.folders(dir.resolve("birds"), 4, "cats", "birds");
        Path other = dir.resolve("birds.kodiak");
        CliRun trained = CliRun.of("train", birds.toString(), "--weights", "none", "--size", "32", "--bs", "4",
                "--epochs", "1", "--freeze-epochs", "0", "--out", other.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        CliRun run = CliRun.of("compare", crop.toString(), other.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("kodiak: cannot compare models with different labels")
                .contains("[cats, dogs]").contains("[birds, cats]");
        CliRun split = CliRun.of("compare", crop.toString(), squish.toString(), "--split", "train");
        assertThat(split.exitCode()).isEqualTo(2);
        assertThat(split.err()).contains("--split must be valid or test");
    }

    // file → whether the model's predicted label is the parent folder
    private static Map<String, Boolean> correct(Path model, List<String> files) throws IOException {
        List<String> args = new ArrayList<>(List.of("predict", model.toString(), "--json"));
        args.addAll(files);
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        Map<String, Boolean> right = new HashMap<>();
        for (String line : run.out().strip().split("\n")) {
            JsonNode p = JSON.readTree(line);
            String file = p.get("file").asText();
            right.put(file, Path.of(file).getParent().getFileName().toString().equals(p.get("label").asText()));
        }
        return right;
    }
}
