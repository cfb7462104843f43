package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.model.ModelFile;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data verbs and lr-find on CSV targets: {@code data show-batch --csv} captions regression images with their
 * numbers and multi-label images with their label sets, {@code lr-find --csv} sweeps a regression and a multi-label
 * model, and {@code train --y-range LO,HI;LO,HI} squashes each target column into its own range.
 */
@Tag("slow")
class CsvVerbsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 12; // rows 0, 4, 8 are validation items

    @TempDir
    Path dir;

    private void data(String header, IntFunction<String> targets) throws IOException {
        List<String> lines = new ArrayList<>(List.of("file," + header + ",is_valid"));
        for (int i = 0; i < ROWS; i++) {
            BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(new Color(i * 20, (i % 2) * 200, (i % 3) * 100));
            g.fillRect(0, 0, 32, 32);
            g.dispose();
            ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
            lines.add("img" + i + ".png," + targets.apply(i) + "," + (i % 4 == 0));
        }
        Files.write(dir.resolve("labels.csv"), lines);
    }

    private static double size(int i) {
        return 10 + i;
    }

    private static double angle(int i) {
        return -55 + 10 * i;
    }

    private JsonNode json(CliRun run) throws IOException {
        assertThat(run.exitCode()).as(run.err()).isZero();
        return JSON.readTree(run.out().trim());
    }

    @Test
    void showBatchCaptionsRegressionImagesWithTheirNumbersAndMultiLabelImagesWithTheirLabelSets() throws Exception {
        data("size,angle", i -> size(i) + "," + angle(i));
        JsonNode batch = json(CliRun.of("data", "show-batch", dir.toString(), "--csv", "labels.csv", "--label-col",
                "size,angle", "--valid-col", "is_valid", "--rows", "2", "--size", "32", "--out",
                dir.resolve("regression.png").toString(), "--json"));
        Set<String> trainingCaptions = new HashSet<>();
        for (int i = 0; i < ROWS; i++) {
            if (i % 4 != 0) {
                trainingCaptions.add(String.format(Locale.ROOT, "%.2f %.2f", size(i), angle(i)));
            }
        }
        assertThat(batch.get("vocab").toString()).isEqualTo("[\"size\",\"angle\"]");
        assertThat(batch.get("captions")).hasSize(4);
        batch.get("captions").forEach(c -> assertThat(trainingCaptions).contains(c.asText()));
        assertThat(Files.size(dir.resolve("regression.png"))).isPositive();

        data("labels", i -> (i % 2 == 0 ? "even" : "odd") + (i % 3 == 0 ? " three" : ""));
        JsonNode multi = json(CliRun.of("data", "show-batch", dir.toString(), "--csv", "labels.csv", "--valid-col",
                "is_valid", "--label-delim", " ", "--rows", "3", "--size", "32", "--out",
                dir.resolve("multi.png").toString(), "--json"));
        assertThat(multi.get("captions")).hasSize(ROWS - 3); // the whole training set fits the 3 x 3 grid
        List<Set<String>> sets = new ArrayList<>();
        multi.get("captions").forEach(c -> sets.add(Set.of(c.asText().split(";"))));
        // training rows 1 2 3 5 6 7 9 10 11
        assertThat(sets).containsExactlyInAnyOrder(Set.of("odd"), Set.of("even"), Set.of("odd", "three"),
                Set.of("odd"), Set.of("even", "three"), Set.of("odd"), Set.of("odd", "three"), Set.of("even"),
                Set.of("odd"));
    }

    @Test
    void lrFindSweepsARegressionAndAMultiLabelModelFromTheCsv() throws Exception {
        data("size,angle", i -> size(i) + "," + angle(i));
        JsonNode regression = json(CliRun.of("lr-find", dir.toString(), "--csv", "labels.csv", "--label-col",
                "size,angle", "--valid-col", "is_valid", "--weights", "none", "--size", "32", "--bs", "4",
                "--iterations", "8", "--out", dir.resolve("lr-regression.png").toString(), "--json"));
        assertThat(regression.get("iterations").asInt()).isEqualTo(8);
        assertThat(regression.get("valley").asDouble()).isBetween(1e-7, 10.0);
        assertThat(Files.size(dir.resolve("lr-regression.png"))).isPositive();

        data("labels", i -> (i % 2 == 0 ? "even" : "odd") + (i % 3 == 0 ? " three" : ""));
        JsonNode multi = json(CliRun.of("lr-find", dir.toString(), "--csv", "labels.csv", "--valid-col", "is_valid",
                "--label-delim", " ", "--weights", "none", "--size", "32", "--bs", "4", "--iterations", "8", "--out",
                dir.resolve("lr-multi.png").toString(), "--json"));
        assertThat(multi.get("iterations").asInt()).isEqualTo(8);
        assertThat(Files.size(dir.resolve("lr-multi.png"))).isPositive();
    }

    @Test
    void yRangeTakesOnePairPerTargetColumn() throws Exception {
        data("size,angle", i -> size(i) + "," + angle(i));
        List<String> train = List.of("train", dir.toString(), "--csv", "labels.csv", "--label-col", "size,angle",
                "--valid-col", "is_valid", "--weights", "none", "--size", "32", "--bs", "4", "--epochs", "1",
                "--workers", "1", "--out", dir.resolve("m.kodiak").toString());
        List<String> perColumn = new ArrayList<>(train);
        perColumn.addAll(List.of("--y-range", "0,30;-90,90"));
        CliRun run = CliRun.of(perColumn.toArray(new String[0]));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out() + run.err())
                .contains("Outputs squashed into size 0,30; angle -90,90 (--y-range, fastai's sigmoid_range)");
        assertThat(ModelFile.read(dir.resolve("m.kodiak")).manifest().output().yRange())
                .containsExactly(0.0, 30.0, -90.0, 90.0);

        List<String> three = new ArrayList<>(train);
        three.addAll(List.of("--y-range", "0,30;-90,90;1,2"));
        CliRun refused = CliRun.of(three.toArray(new String[0]));
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("kodiak: a regression with 2 targets [size, angle] takes one y-range for "
                + "all or one per target, got 3");
    }
}
