package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandTest {
    @TempDir
    Path dir;

    @Test
    void summaryJsonCountsEverySplitAndLabelAndListsBrokenFiles() throws IOException {
        TestImages.folders(dir, 10, "cats", "dogs");
        Path broken = dir.resolve("dogs").resolve("zz_broken.jpg");
        Files.writeString(broken, "<html><body>not an image</body></html>");
        CliRun run = CliRun.of("data", "summary", dir.toString(), "--json", "--valid-pct", "0.25", "--seed", "7");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        assertThat(json.get("vocab").toString()).isEqualTo("[\"cats\",\"dogs\"]");
        int train = json.get("train").get("cats").asInt() + json.get("train").get("dogs").asInt();
        int valid = json.get("valid").get("cats").asInt() + json.get("valid").get("dogs").asInt();
        assertThat(valid).isEqualTo(5); // floor(0.25 × 21)
        assertThat(train).isEqualTo(16);
        assertThat(json.get("test").size()).isZero();
        assertThat(json.get("failed")).hasSize(1);
        assertThat(json.get("failed").get(0).get("file").asText()).isEqualTo(broken.toString());
        assertThat(json.get("failed").get(0).get("error").asText()).containsIgnoringCase("html");
        assertThat(run.err()).contains("label").contains("total");
    }

    @Test
    void summaryWithATestSplitAndStratifiedSplitter() throws IOException {
        TestImages.folders(dir, 10, "a", "b");
        CliRun run = CliRun.of("data", "summary", dir.toString(), "--json", "--splitter", "stratified",
                "--valid-pct", "0.2", "--test-pct", "0.2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out().strip());
        assertThat(json.get("valid").get("a").asInt()).isEqualTo(2);
        assertThat(json.get("valid").get("b").asInt()).isEqualTo(2);
        assertThat(json.get("test").get("a").asInt()).isEqualTo(2);
        assertThat(json.get("train").get("b").asInt()).isEqualTo(6);
    }

    @Test
    void grandparentIsTheDefaultWhenTrainAndValidFoldersExist() throws IOException {
        TestImages.folders(dir.resolve("train"), 4, "x", "y");
        TestImages.folders(dir.resolve("valid"), 2, "x", "y");
        CliRun run = CliRun.of("data", "summary", dir.toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out().strip());
        assertThat(json.get("train").get("x").asInt()).isEqualTo(4);
        assertThat(json.get("valid").get("y").asInt()).isEqualTo(2);
    }

    @Test
    void humanSummaryPrintsATableAndThePipelineWalk() throws IOException {
        TestImages.folders(dir, 5, "cats", "dogs");
        CliRun run = CliRun.of("data", "summary", dir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("cats").contains("total").contains("Failed to decode: 0")
                .contains("OK: every step worked");
    }

    @Test
    void missingEmptyAndSingleLabelFoldersAreOneLineErrors() throws IOException {
        CliRun missing = CliRun.of("data", "summary", dir.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("kodiak: ").contains("does not exist").doesNotContain("\tat ");
        assertThat(missing.err().strip().lines()).hasSize(1);

        CliRun empty = CliRun.of("data", "summary", dir.toString());
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.err()).contains("no items found");

        TestImages.folders(dir, 3, "lonely");
        CliRun single = CliRun.of("data", "summary", dir.toString());
        assertThat(single.exitCode()).isEqualTo(1);
        assertThat(single.err()).contains("only one label");

        CliRun debug = CliRun.of("data", "summary", dir.toString(), "--debug");
        assertThat(debug.err()).contains("\tat ");
    }

    @Test
    void showBatchWritesAGridPng() throws IOException {
        TestImages.folders(dir, 8, "red", "blue");
        Path png = dir.resolve("out").resolve("batch.png");
        Files.createDirectories(png.getParent());
        CliRun run = CliRun.of("data", "show-batch", dir.toString(), "--out", png.toString(), "--size", "32",
                "--rows", "2", "--augment", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out().strip());
        assertThat(json.get("image").asText()).isEqualTo(png.toAbsolutePath().toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isGreaterThanOrEqualTo(2 * 32);
        assertThat(img.getHeight()).isGreaterThanOrEqualTo(2 * 32);
    }

    @Test
    void badFlagValuesAreUsageErrors() throws IOException {
        TestImages.folders(dir, 3, "a", "b");
        CliRun run = CliRun.of("data", "summary", dir.toString(), "--splitter", "sideways");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("unknown splitter 'sideways'");
        CliRun pct = CliRun.of("data", "summary", dir.toString(), "--valid-pct", "2");
        assertThat(pct.err()).contains("valid-pct");
    }
}
