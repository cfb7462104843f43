package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineBenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The flags every bench verb takes are accepted here too; the JSON line per worker count is consistent. */
    @Test
    void reportsEachWorkerCountWithTheSharedBenchFlags() throws Exception {
        Path data = TestImages.folders(dir.resolve("data"), 50, "red", "blue"); // 1% held out: 1 image
        CliRun r = CliRun.of("bench", "pipeline", data.toString(), "--workers", "1,2", "--size", "32", "--bs", "4",
                "--rounds", "1", "--threads", "1", "--arch", "resnet34", "--precision", "fp32", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<JsonNode> rows = r.out().lines().filter(l -> l.startsWith("{")).map(PipelineBenchCommandTest::parse)
                .toList();
        assertThat(rows).hasSize(2);
        for (int i = 0; i < rows.size(); i++) {
            JsonNode j = rows.get(i);
            assertThat(j.get("benchmark").asText()).isEqualTo("pipeline");
            assertThat(j.get("workers").asInt()).isEqualTo(i + 1);
            assertThat(j.get("threads").asInt()).isEqualTo(1);
            assertThat(j.get("bs").asInt()).isEqualTo(4);
            assertThat(j.get("size").asInt()).isEqualTo(32);
            JsonNode ips = j.get("images_per_second");
            assertThat(ips.get("min").asDouble()).isPositive().isLessThanOrEqualTo(ips.get("median").asDouble());
            assertThat(ips.get("median").asDouble()).isLessThanOrEqualTo(ips.get("max").asDouble());
        }
    }

    @Test
    void aMisspeltArchitectureOrPrecisionIsStillAnError() throws Exception {
        Path data = TestImages.folders(dir.resolve("data"), 2, "red", "blue");
        CliRun arch = CliRun.of("bench", "pipeline", data.toString(), "--arch", "resnet19", "--rounds", "1");
        assertThat(arch.exitCode()).isNotZero();
        assertThat(arch.err()).contains("resnet19");
        CliRun precision = CliRun.of("bench", "pipeline", data.toString(), "--precision", "fp16", "--rounds", "1");
        assertThat(precision.exitCode()).isNotZero();
        assertThat(precision.err()).contains("unknown --precision 'fp16'");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
