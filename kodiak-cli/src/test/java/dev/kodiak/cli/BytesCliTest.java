package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.BinaryFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verbs on a folder of files read as pictures of their bytes ({@code --input bytes}): two kinds of synthesized
 * "binaries" summarised, drawn, trained from scratch, predicted and interpreted; bad files are clear per-file errors.
 */
@Tag("slow")
class BytesCliTest {
    @TempDir
    Path dir;

    @Test
    void summaryShowBatchTrainPredictAndInterpretAFolderOfBinaries() throws Exception {
        Path data = dir.resolve("binaries");
        BinaryFolder.write(data, 6, 3);

        CliRun summary = CliRun.of("data", "summary", data.toString(), "--input", "bytes");
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("12 bytes files").contains("bytes picture 32x");

        Path png = dir.resolve("batch.png");
        CliRun show = CliRun.of("data", "show-batch", data.toString(), "--input", "bytes", "--out", png.toString(),
                "--rows", "2", "--size", "32");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(Files.size(png)).isPositive();

        Path model = dir.resolve("binaries.kodiak");
        CliRun train = CliRun.of("train", data.toString(), "--input", "bytes", "--max-bytes", "8192", "--weights",
                "none", "--epochs", "1", "--bs", "4", "--size", "32", "--workers", "1", "--out", model.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("Bytes: every file as a greyscale picture of its bytes (1 channel, at most "
                + "8192 bytes), squished");
        Manifest m = ModelFile.readManifest(model);
        assertThat(m.input().kind()).isEqualTo("bytes");
        assertThat(m.input().channels()).isEqualTo(1);
        assertThat(m.input().parameters()).containsEntry("max_bytes", 8192);
        assertThat(m.input().itemTransforms().get(0).toString()).containsIgnoringCase("squish");
        assertThat(m.output().labels()).containsExactly("elf", "packed");

        Files.write(dir.resolve("empty"), new byte[0]);
        Files.write(dir.resolve("huge"), new byte[8193]);
        CliRun predict = CliRun.of("predict", model.toString(), data.resolve("elf").toString(),
                dir.resolve("empty").toString(), dir.resolve("huge").toString(), "--json");
        assertThat(predict.exitCode()).isNotZero(); // two files failed
        List<JsonNode> lines = TrainCommandTest.lines(predict.out());
        assertThat(lines).hasSize(8);
        for (JsonNode line : lines.subList(0, 6)) {
            assertThat(line.get("file").asText()).contains("elf");
            assertThat(List.of("elf", "packed")).contains(line.get("label").asText());
        }
        assertThat(lines.get(6).get("error").asText()).contains("empty (0 bytes)");
        assertThat(lines.get(7).get("error").asText()).contains("8,193 bytes, over the limit of 8,192");

        Path report = dir.resolve("report");
        CliRun interpret = CliRun.of("interpret", model.toString(), "--out", report.toString(), "--top-losses", "2");
        assertThat(interpret.exitCode()).as(interpret.err()).isZero();
        assertThat(Files.size(report.resolve("confusion.png"))).isPositive();
        assertThat(Files.size(report.resolve("top-losses.png"))).isPositive();
    }

    @Test
    void aFolderOfBinariesIsNeverDetectedAsBytes() throws Exception {
        Path data = dir.resolve("binaries");
        BinaryFolder.write(data, 2, 3);
        CliRun summary = CliRun.of("data", "summary", data.toString());
        assertThat(summary.exitCode()).isNotZero();
        assertThat(summary.out() + summary.err()).doesNotContain("bytes files");
    }
}
