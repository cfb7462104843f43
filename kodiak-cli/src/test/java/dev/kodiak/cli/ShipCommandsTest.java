package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train → info → predict → interpret on a tiny model trained once for the class. */
class ShipCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path data;
    static Path model;
    static JsonNode manifest;

    @BeforeAll
    static void train() throws IOException {
        data = TestImages.folders(dir.resolve("shapes"), 10, "cats", "dogs");
        model = dir.resolve("shapes.kodiak");
        CliRun run = CliRun.of("train", data.toString(), "--weights", "none", "--size", "32", "--bs", "8",
                "--epochs", "1", "--out", model.toString(), "--plots", dir.resolve("plots").toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        JsonNode epoch = JSON.readTree(lines[0]);
        assertThat(epoch.get("phase").asText()).isEqualTo("train");
        assertThat(epoch.has("error_rate")).isTrue();
        JsonNode last = JSON.readTree(lines[lines.length - 1]);
        assertThat(last.get("model").asText()).isEqualTo(model.toAbsolutePath().toString());
        double errorRate = last.get("final").get("error_rate").asDouble();
        assertThat(last.get("final").get("error_rate_ci95").get(0).asDouble()).isLessThanOrEqualTo(errorRate);
        assertThat(last.get("final").get("error_rate_ci95").get(1).asDouble()).isGreaterThanOrEqualTo(errorRate);
        assertThat(run.err()).contains("Error rate ").contains("95% CI");
        assertThat(dir.resolve("plots/loss.png")).isRegularFile();
        assertThat(dir.resolve("plots/lr.png")).isRegularFile();
        CliRun info = CliRun.of("info", model.toString(), "--json");
        assertThat(info.exitCode()).as(info.err()).isZero();
        manifest = JSON.readTree(info.out().strip());
    }

    @Test
    void infoShowsTheManifest() {
        assertThat(manifest.get("format_version").asInt()).isEqualTo(2);
        assertThat(manifest.at("/output/labels").toString()).isEqualTo("[\"cats\",\"dogs\"]");
        assertThat(manifest.at("/input/size").toString()).isEqualTo("[32,32]");
        assertThat(manifest.at("/training/data/valid_files")).hasSize(4);
        assertThat(manifest.at("/training/recipe").toString()).isEqualTo("{\"name\":\"fit_one_cycle\",\"version\":1,"
                + "\"epochs\":1,\"lr_max\":{\"kind\":\"single\",\"lo\":0.001,\"hi\":0.001},\"cycle\":{\"pct_start\":0.25,"
                + "\"div\":25.0,\"div_final\":100000.0,\"mom_start\":0.95,\"mom_mid\":0.85,\"mom_end\":0.95}}");
        CliRun human = CliRun.of("info", model.toString());
        assertThat(human.exitCode()).as(human.err()).isZero();
        assertThat(human.out()).contains("resnet18 + linear head (512 → 2)").contains("cats, dogs")
                .contains("Resize(32x32, crop)").contains("(verified)")
                .contains("Recipe:        fit_one_cycle(1, lr_max=0.001)")
                .contains("1 epoch of one cycle up to learning rate 0.001, warming up from 1/25 of it over 25% of the "
                        + "batches, then annealing to 1/100000; momentum 0.95 → 0.85 → 0.95")
                .contains("split random, valid 20%, seed 42");
    }

    @Test
    void predictPrintsOneLinePerImageAndReportsBrokenOnes() throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.jpg"), "not an image");
        Path cat = data.resolve("cats/cats_00.png");
        CliRun run = CliRun.of("predict", model.toString(), cat.toString(), broken.toString(), data.resolve("dogs").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(12);
        assertThat(lines[0]).matches(java.util.regex.Pattern.quote(cat.toString()) + "  (cats|dogs)  [01]\\.\\d{3}");
        assertThat(lines[1]).startsWith(broken + "  ERROR  ").contains("broken.jpg");
        assertThat(run.err()).contains("1 of 12 images could not be read");
    }

    @Test
    void predictReportsAFifoAndALinkToDevZeroAsErrorLinesAndPredictsTheRest() throws Exception {
        Path fifo = dir.resolve("pipe.png");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path zero = Files.createSymbolicLink(dir.resolve("zero.png"), Path.of("/dev/zero"));
        Path cat = data.resolve("cats/cats_00.png");
        // a bound on the time only to fail (not hang) without the fix: opening a FIFO blocks, /dev/zero never ends
        CliRun run = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120),
                () -> CliRun.of("predict", model.toString(), fifo.toString(), cat.toString(), zero.toString()));
        assertThat(run.exitCode()).isEqualTo(1);
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith(fifo + "  ERROR  ").endsWith("it is not a regular file (a pipe, device or "
                + "socket), so it is not read");
        assertThat(lines[1]).matches(java.util.regex.Pattern.quote(cat.toString()) + "  (cats|dogs)  [01]\\.\\d{3}");
        assertThat(lines[2]).startsWith(zero + "  ERROR  ").contains("not a regular file");
        assertThat(run.err()).contains("2 of 3 images could not be read");
    }

    @Test
    void predictJsonHasTheDocumentedShape() throws IOException {
        Path cat = data.resolve("cats/cats_03.png");
        Path missing = dir.resolve("nope.png");
        CliRun run = CliRun.of("predict", model.toString(), cat.toString(), missing.toString(), "--json", "--bs", "1");
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode p = JSON.readTree(lines[0]);
        assertThat(p.get("file").asText()).isEqualTo(cat.toString());
        List<String> keys = new ArrayList<>();
        p.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("file", "label", "index", "probabilities");
        double sum = p.get("probabilities").get("cats").asDouble() + p.get("probabilities").get("dogs").asDouble();
        assertThat(sum).isCloseTo(1.0, within(1e-5));
        assertThat(p.get("label").asText()).isEqualTo(p.get("index").asInt() == 0 ? "cats" : "dogs");
        JsonNode error = JSON.readTree(lines[1]);
        assertThat(error.get("file").asText()).isEqualTo(missing.toString());
        assertThat(error.get("error").asText()).contains("does not exist");
    }

    @Test
    void interpretWritesPicturesAndAReport() throws IOException {
        Path out = dir.resolve("report");
        CliRun run = CliRun.of("interpret", model.toString(), "--out", out.toString(), "--top-losses", "4", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = JSON.readTree(run.out().strip());
        assertThat(r).isEqualTo(JSON.readTree(out.resolve("report.json").toFile()));
        assertThat(r.get("split").asText()).isEqualTo("valid");
        assertThat(r.get("items").asInt()).isEqualTo(4);
        assertThat(r.get("vocab").toString()).isEqualTo("[\"cats\",\"dogs\"]");
        JsonNode m = r.get("confusion_matrix");
        int total = 0;
        int wrong = 0;
        for (int a = 0; a < 2; a++) {
            for (int p = 0; p < 2; p++) {
                total += m.get(a).get(p).asInt();
                wrong += a == p ? 0 : m.get(a).get(p).asInt();
            }
        }
        assertThat(total).isEqualTo(4);
        assertThat(r.get("error_rate").asDouble()).isEqualTo(wrong / 4.0);
        assertThat(r.get("error_rate_ci95").get(0).asDouble()).isLessThanOrEqualTo(wrong / 4.0);
        assertThat(r.get("error_rate_ci95").get(1).asDouble()).isGreaterThanOrEqualTo(wrong / 4.0);
        assertThat(r.get("per_class").get("cats").get("support").asInt()
                + r.get("per_class").get("dogs").get("support").asInt()).isEqualTo(4);
        assertThat(r.get("top_losses")).hasSize(4);
        assertThat(r.get("most_confused")).hasSizeLessThanOrEqualTo(2);
        assertThat(ImageIO.read(out.resolve("confusion.png").toFile())).isNotNull();
        assertThat(ImageIO.read(out.resolve("top-losses.png").toFile())).isNotNull();
        assertThat(run.err()).contains("Error rate").contains("95% CI").contains("precision");
    }

    @Test
    void interpretOnAnotherFolderFindsTheRecordedSplitThereAndSaysWhatIsMissing() throws IOException {
        Path copy = dir.resolve("copy");
        copyTree(data, copy);
        String firstValid = manifest.at("/training/data/valid_files").get(0).asText();
        Files.delete(copy.resolve(firstValid));
        Path extra = TestImages.png(copy.resolve("birds/bird.png"), 32, java.awt.Color.BLACK, 1);
        CliRun run = CliRun.of("interpret", model.toString(), copy.toString(), "--out", dir.resolve("r2").toString(), "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = JSON.readTree(run.out().strip());
        assertThat(r.get("items").asInt()).isEqualTo(3);
        assertThat(r.get("missing").toString()).isEqualTo("[\"" + firstValid + "\"]");
        assertThat(run.err()).contains("1 of the model's valid files are not in");

        CliRun everything = CliRun.of("interpret", model.toString(), copy.toString(), "--all", "--out",
                dir.resolve("r3").toString(), "--json");
        assertThat(everything.exitCode()).as(everything.err()).isZero();
        JsonNode all = JSON.readTree(everything.out().strip());
        assertThat(all.get("items").asInt()).isEqualTo(19); // 20 images, one deleted; the bird is not a known label
        assertThat(all.get("unknown_labels").get("birds").asInt()).isEqualTo(1);
        assertThat(everything.err()).contains("labelled 'birds', which the model does not know");
        assertThat(extra).isRegularFile();
    }

    @Test
    void interpretRefusesRecordedSplitFilesThatLeadOutsideTheDataFolder() throws IOException {
        Path outside = dir.resolve("outside-cats");
        copyTree(data.resolve("cats"), outside);
        Path linked = dir.resolve("linked");
        copyTree(data.resolve("dogs"), linked.resolve("dogs"));
        Files.createSymbolicLink(linked.resolve("cats"), outside); // the cats folder leads out of the data folder
        List<String> valid = new ArrayList<>();
        manifest.at("/training/data/valid_files").forEach(v -> valid.add(v.asText()));
        long cats = valid.stream().filter(v -> v.startsWith("cats")).count();
        assertThat(cats).isBetween(1L, 3L);

        CliRun run = CliRun.of("interpret", model.toString(), linked.toString(), "--out", dir.resolve("r4").toString(),
                "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode r = JSON.readTree(run.out().strip());
        assertThat(r.get("items").asLong()).isEqualTo(valid.size() - cats);
        assertThat(r.get("outside_data")).hasSize((int) cats);
        assertThat(r.get("outside_data").get(0).get("why").asText()).contains("outside the data folder");
        assertThat(r.get("top_losses").toString()).doesNotContain("outside-cats");
        assertThat(run.err()).contains("refusing the model's valid file cats/");
    }

    @Test
    void interpretExplainsWhatItCannotDo() {
        CliRun test = CliRun.of("interpret", model.toString(), "--split", "test");
        assertThat(test.exitCode()).isEqualTo(1);
        assertThat(test.err()).contains("records no test split (train with --test-pct");
        CliRun gone = CliRun.of("interpret", model.toString(), dir.resolve("nowhere").toString());
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.err()).contains("does not exist");
        CliRun bad = CliRun.of("info", dir.resolve("shapes").toString());
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).startsWith("kodiak: model file");
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
