package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FineTuneBenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void benchFineTunePrintsOneJsonLineWithBothPhasesTimed() throws IOException {
        // 2 labels × 8 images: random 20% valid → 13 train (floor(0.2 × 16) = 3 valid) → 3 batches of 4 per epoch
        Path data = TestImages.folders(dir.resolve("d"), 8, "a", "b");
        CliRun run = CliRun.of("bench", "fine-tune", data.toString(), "--size", "32", "--bs", "4", "--workers", "2",
                "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode row = JSON.readTree(lines[0]);
        assertThat(row.get("benchmark").asText()).isEqualTo("fine-tune");
        assertThat(row.get("arch").asText()).isEqualTo("resnet18");
        assertThat(row.get("bs").asInt()).isEqualTo(4);
        assertThat(row.get("size").asInt()).isEqualTo(32);
        assertThat(row.get("precision").asText()).isEqualTo(dev.kodiak.engine.PrecisionChoice.forHost(dev.kodiak.engine.Precision.AUTO).label()); // the default
        assertThat(row.get("weights").asText()).isEqualTo("none"); // the default: no cache or network needed
        assertThat(row.get("train_images").asInt()).isEqualTo(13);
        assertThat(row.get("threads").asInt()).isPositive();
        assertThat(row.get("peak_rss_mb").asLong()).isPositive();
        List<String> names = new ArrayList<>();
        double phaseSeconds = 0;
        for (JsonNode p : row.get("phases")) {
            names.add(p.get("phase").asText());
            // one epoch per phase: 3 full batches of 4 = 12 images (the 13th is in the dropped incomplete batch)
            assertThat(p.get("images").asLong()).isEqualTo(12);
            double train = p.get("train_seconds").asDouble();
            assertThat(train).isPositive().isLessThan(p.get("seconds").asDouble()); // the wall time adds validation
            assertThat(p.get("images_per_second").asDouble()).isCloseTo(12 / train, within(1e-9));
            assertThat(p.get("data_wait_fraction").asDouble()).isBetween(0.0, 1.0);
            phaseSeconds += p.get("seconds").asDouble();
        }
        assertThat(names).containsExactly("frozen", "unfrozen");
        assertThat(phaseSeconds).isLessThanOrEqualTo(row.get("seconds").asDouble());
        assertThat(run.err()).contains("frozen").contains("unfrozen").contains("training images/s");
    }

    @Test
    void weightsDefaultToNoneInHelpAndBadSizesAreUsageErrors() {
        CliRun help = CliRun.of("bench", "fine-tune", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--weights").contains("default: none");
        CliRun bad = CliRun.of("bench", "fine-tune", "--bs", "0");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("--bs");
    }
}
