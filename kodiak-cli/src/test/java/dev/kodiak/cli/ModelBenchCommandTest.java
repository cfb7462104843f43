package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.vision.learn.ModelExport;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.VisionModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static JsonNode run(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    }

    private static void assertConsistent(JsonNode j) {
        JsonNode ips = j.get("images_per_second");
        assertThat(ips.get("min").asDouble()).isPositive().isLessThanOrEqualTo(ips.get("median").asDouble());
        assertThat(ips.get("median").asDouble()).isLessThanOrEqualTo(ips.get("max").asDouble());
        JsonNode ms = j.get("latency_ms");
        assertThat(ms.get("p50").asDouble()).isPositive().isLessThanOrEqualTo(ms.get("p99").asDouble());
        // the slowest iteration is both the p99 latency and the minimum throughput (3 iterations)
        assertThat(j.get("bs").asInt() * 1000.0 / ms.get("p99").asDouble())
                .isCloseTo(ips.get("min").asDouble(), org.assertj.core.data.Percentage.withPercentage(0.1));
        assertThat(j.get("peak_rss_mb").asInt()).isPositive();
    }

    @Test
    void trainStepReportsThroughputAndLatencyOfTheConfiguredStep() throws Exception {
        JsonNode j = run("bench", "train-step", "--bs", "2", "--size", "32", "--threads", "1", "--warmup", "1",
                "--iterations", "3", "--json");
        assertThat(j.get("benchmark").asText()).isEqualTo("train-step");
        assertThat(j.get("arch").asText()).isEqualTo("resnet18");
        assertThat(j.get("bs").asInt()).isEqualTo(2);
        assertThat(j.get("size").asInt()).isEqualTo(32);
        assertThat(j.get("threads").asInt()).isEqualTo(1);
        assertThat(j.get("precision").asText()).isEqualTo("fp32");
        assertConsistent(j);
    }

    @Test
    void inferOnAGivenModelFileTakesItsArchitectureAndInputSize() throws Exception {
        Path file = dir.resolve("m.kodiak");
        VisionModel net = VisionModel.create(Architectures.byName("resnet34"), 3);
        try {
            ModelExport.writeUntrained(net, List.of("a", "b", "c"), 40, file);
        } finally {
            net.release();
        }
        JsonNode j = run("bench", "infer", "--model", file.toString(), "--bs", "3", "--size", "999", "--warmup", "1",
                "--iterations", "3", "--json");
        assertThat(j.get("benchmark").asText()).isEqualTo("infer");
        assertThat(j.get("arch").asText()).isEqualTo("resnet34");
        assertThat(j.get("size").asInt()).isEqualTo(40);
        assertThat(j.get("bs").asInt()).isEqualTo(3);
        assertConsistent(j);
    }

    @Test
    void nearestRankPercentiles() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(ModelBenchCommand.percentile(sorted, 50)).isEqualTo(5);
        assertThat(ModelBenchCommand.percentile(sorted, 99)).isEqualTo(10);
        assertThat(ModelBenchCommand.percentile(new double[] {7}, 50)).isEqualTo(7);
    }
}
