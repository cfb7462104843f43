package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.model.ModelFile;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kodiak train --csv} for regression and multi-label, then {@code predict --json} on the model file. */
@Tag("slow")
class CsvTasksCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    // 12 tiny images of different colours; rows 0, 4, 8 are validation (targets of the others: 11..21 for regression)
    private void images() throws IOException {
        for (int i = 0; i < 12; i++) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(new Color(i * 20, (i % 2) * 200, (i % 3) * 100));
            g.fillRect(0, 0, 32, 32);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
        }
    }

    private void csv(String header, java.util.function.IntFunction<String> target) throws IOException {
        List<String> rows = new ArrayList<>(List.of(header));
        for (int i = 0; i < 12; i++) {
            rows.add("img" + i + ".png," + target.apply(i) + "," + (i % 4 == 0));
        }
        Files.write(dir.resolve("labels.csv"), rows);
    }

    private CliRun train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train", dir.toString(), "--csv", "labels.csv", "--valid-col",
                "is_valid", "--weights", "none", "--size", "32", "--bs", "4", "--epochs", "1", "--workers", "1",
                "--out", dir.resolve("m.kodiak").toString(), "--json"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(new String[0]));
    }

    @Test
    void regressionFromCsvIsChosenAutomaticallyTrainsAndPredictsValues() throws Exception {
        images();
        csv("file,size,is_valid", i -> Integer.toString(10 + i));
        CliRun run = train("--file-col", "file", "--label-col", "size");
        CliRun summary = CliRun.of("data", "summary", dir.toString(), "--csv", "labels.csv", "--json");
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("Task: regression (every target in column size is a number)")
                .contains("Outputs squashed into 10.5,21.5");
        JsonNode epoch = JSON.readTree(run.out().lines().findFirst().orElseThrow());
        assertThat(epoch.has("mae") && epoch.has("rmse") && epoch.has("r2")).as(epoch.toString()).isTrue();
        var manifest = ModelFile.read(dir.resolve("m.kodiak")).manifest();
        assertThat(manifest.output().task()).isEqualTo("regression");
        assertThat(manifest.output().yRange()).containsExactly(10.5, 21.5);
        assertThat(manifest.trainingData().csv().labelColumns()).containsExactly("size");
        assertThat(manifest.trainingData().csv().validColumn()).isEqualTo("is_valid");

        CliRun predict = CliRun.of("predict", dir.resolve("m.kodiak").toString(), dir.resolve("img3.png").toString(),
                "--json");
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        JsonNode line = JSON.readTree(predict.out().trim());
        assertThat(line.fieldNames()).toIterable().containsExactly("file", "values");
        assertThat(line.get("values").get("size").asDouble()).isBetween(10.5, 21.5);

        // no data flags: the model file says how the targets were read
        CliRun interpret = CliRun.of("interpret", dir.resolve("m.kodiak").toString(), "--json");
        assertThat(interpret.exitCode()).as(interpret.err()).isZero();
        JsonNode report = JSON.readTree(interpret.out().trim());
        assertThat(report.get("task").asText()).isEqualTo("regression");
        assertThat(report.get("items").asInt()).isEqualTo(3);
        assertThat(report.has("mae") && report.has("mae_ci95") && report.has("rmse") && report.has("r2")).as(report.toString()).isTrue();
        assertThat(report.get("targets_read").get("label_columns").toString()).isEqualTo("[\"size\"]");
        assertThat(report.get("targets_read").get("valid_column").asText()).isEqualTo("is_valid");
        assertThat(report.get("y_range").toString()).isEqualTo("[10.5,21.5]");
        assertThat(Files.size(Path.of(report.get("images").get("scatter").asText()))).isPositive();
        assertThat(Files.size(Path.of(report.get("images").get("residuals").asText()))).isPositive();
        assertThat(Files.size(Path.of(report.get("images").get("top_losses").asText()))).isPositive();
        assertThat(dir.resolve("m-report/report.json")).exists();

        // a second model on the same CSV: compare scores both per item by absolute error
        CliRun second = CliRun.of("train", dir.toString(), "--csv", "labels.csv", "--valid-col", "is_valid",
                "--weights", "none", "--size", "32", "--bs", "4", "--epochs", "1", "--workers", "1", "--lr", "3e-3",
                "--out", dir.resolve("m2.kodiak").toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        CliRun compare = CliRun.of("compare", dir.resolve("m.kodiak").toString(), dir.resolve("m2.kodiak").toString(),
                "--json");
        assertThat(compare.exitCode()).as(compare.err()).isZero();
        JsonNode c = JSON.readTree(compare.out().trim());
        assertThat(c.get("task").asText()).isEqualTo("regression");
        assertThat(c.get("test").asText()).isEqualTo("permutation");
        assertThat(c.get("n").asInt()).isEqualTo(3);
        assertThat(c.get("a").get("mae").asDouble()).isEqualTo(report.get("mae").asDouble(), within(1e-4));
    }

    @Test
    void multiLabelFromDelimitedColumnStoresTunedThresholdAndPredictsLabelSets() throws Exception {
        images();
        csv("file,labels,is_valid", i -> (i % 2 == 0 ? "even" : "odd") + (i % 3 == 0 ? " three" : ""));
        CliRun run = train("--label-delim", " ", "--threshold", "auto");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("Task: multi-label (--label-delim given: column labels holds label sets)")
                .contains("tuned on the validation set");
        JsonNode epoch = JSON.readTree(run.out().lines().findFirst().orElseThrow());
        assertThat(epoch.has("accuracy_multi") && epoch.has("f1_samples") && epoch.has("f1_macro")).as(epoch.toString()).isTrue();
        var output = ModelFile.read(dir.resolve("m.kodiak")).manifest().output();
        assertThat(output.task()).isEqualTo("multi-label");
        assertThat(output.thresholdTuned()).isTrue();
        assertThat(output.labels()).containsExactly("even", "odd", "three");

        CliRun predict = CliRun.of("predict", dir.resolve("m.kodiak").toString(), dir.resolve("img3.png").toString(),
                "--json");
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        JsonNode line = JSON.readTree(predict.out().trim());
        assertThat(line.fieldNames()).toIterable().containsExactly("file", "labels", "probabilities");
        assertThat(line.get("probabilities").size()).isEqualTo(3);
        line.get("labels").forEach(l -> assertThat(line.get("probabilities").get(l.asText()).asDouble())
                .isGreaterThanOrEqualTo(output.threshold()));

        CliRun interpret = CliRun.of("interpret", dir.resolve("m.kodiak").toString(), "--json");
        assertThat(interpret.exitCode()).as(interpret.err()).isZero();
        JsonNode report = JSON.readTree(interpret.out().trim());
        assertThat(report.get("task").asText()).isEqualTo("multi-label");
        assertThat(report.has("accuracy_multi") && report.has("accuracy_multi_ci95") && report.has("f1_samples"))
                .as(report.toString()).isTrue();
        assertThat(report.get("threshold_tuned").asBoolean()).isTrue();
        assertThat(report.get("targets_read").get("label_delimiter").asText()).isEqualTo(" ");
        assertThat(report.get("per_label").get("even").has("precision")).isTrue();
        assertThat(report.get("per_label").get("even").has("recall")).isTrue();
        assertThat(report.get("per_label").get("even").has("f1")).isTrue();
        assertThat(Files.size(Path.of(report.get("images").get("per_label").asText()))).isPositive();

        // compare scores multi-label models per item by accuracy_multi (a model against itself: no difference)
        CliRun compare = CliRun.of("compare", dir.resolve("m.kodiak").toString(), dir.resolve("m.kodiak").toString(),
                "--json");
        assertThat(compare.exitCode()).as(compare.err()).isZero();
        JsonNode c = JSON.readTree(compare.out().trim());
        assertThat(c.get("task").asText()).isEqualTo("multi-label");
        assertThat(c.get("a").get("accuracy_multi").asDouble())
                .isEqualTo(report.get("accuracy_multi").asDouble(), within(1e-4));
        assertThat(c.get("difference").asDouble()).isZero();
        assertThat(c.get("items_for_80pct_power").isNull()).isTrue();

        // models with different label sets cannot be compared
        Files.copy(dir.resolve("m.kodiak"), dir.resolve("first.kodiak"));
        csv("file,labels,is_valid", i -> i % 2 == 0 ? "even" : "odd");
        assertThat(train("--label-delim", " ").exitCode()).isZero();
        CliRun other = CliRun.of("compare", dir.resolve("first.kodiak").toString(), dir.resolve("m.kodiak").toString());
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.err()).contains("kodiak: cannot compare models with different labels")
                .contains("[even, odd, three]").contains("[even, odd]");
    }

    @Test
    void namesInTheTargetColumnMakeSingleLabelWithTheReason() throws Exception {
        images();
        csv("file,colour,is_valid", i -> i % 2 == 0 ? "red" : "green");
        CliRun run = train();
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("Task: single-label (column colour holds names (line 2: 'red')");
        CliRun summary = CliRun.of("data", "summary", dir.toString(), "--csv", "labels.csv", "--valid-col", "is_valid",
                "--json");
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        JsonNode counts = JSON.readTree(summary.out().trim());
        assertThat(counts.get("valid").get("red").asInt()).isEqualTo(3); // rows 0, 4, 8
        assertThat(counts.get("train").get("green").asInt()).isEqualTo(6);
        assertThat(ModelFile.read(dir.resolve("m.kodiak")).manifest().output().task()).isEqualTo("single-label");
        // the images lie flat in DIR: interpret must read their labels from the recorded CSV, not from folders
        CliRun interpret = CliRun.of("interpret", dir.resolve("m.kodiak").toString(), "--json");
        assertThat(interpret.exitCode()).as(interpret.err()).isZero();
        JsonNode report = JSON.readTree(interpret.out().trim());
        assertThat(report.get("items").asInt()).isEqualTo(3);
        assertThat(report.get("unknown_labels").size()).isZero();
    }

    @Test
    void aNonNumericTargetOfARegressionNamesItsLineOrIsSkippedWithSkipBad() throws Exception {
        images();
        csv("file,size,is_valid", i -> i == 5 ? "big" : Integer.toString(10 + i));
        CliRun run = train("--task", "regression");
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("line 7").contains("'big', which is not a number");
        CliRun summary = CliRun.of("data", "summary", dir.toString(), "--csv", "labels.csv", "--valid-col", "is_valid",
                "--task", "regression", "--skip-bad", "--json");
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        CliRun wrong = train("--threshold", "0.3");
        assertThat(wrong.err()).contains("Task: single-label (column size holds names (line 7: 'big'); pass --task regression")
                .contains("--threshold applies to multi-label, but this task is single-label");
    }
}
