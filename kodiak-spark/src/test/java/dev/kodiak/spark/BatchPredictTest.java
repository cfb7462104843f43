package dev.kodiak.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kodiak batch-predict} end to end on an embedded {@code local[2]} Spark, as the launcher runs it. */
class BatchPredictTest {
    @TempDir
    Path dir;

    @Test
    void writesOneJsonLinePerImageWithThePredictorsAnswerOrTheError() throws IOException {
        Path model = DemoModel.model();
        Path images = TestImages.withBadFiles(dir);
        Map<String, Prediction> expected = new HashMap<>();
        try (Predictor p = Predictor.load(model)) {
            for (String c : DemoModel.CLASSES) {
                try (Stream<Path> files = Files.list(images.resolve(c))) {
                    for (Path f : files.toList()) {
                        expected.put(f.toString(), p.predict(f));
                    }
                }
            }
        }
        Path out = dir.resolve("out");
        int code = BatchPredict.run(model.toString(), images.toString(), "--out", out.toString(), "--format", "json",
                "--master", "local[2]", "--bs", "4", "--partitions", "3");
        assertThat(code).isZero();

        List<JsonNode> lines = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : parts.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                for (String line : Files.readAllLines(part)) {
                    lines.add(json.readTree(line));
                }
            }
        }
        assertThat(lines).hasSize(15); // 12 images, broken, empty, huge; notes.txt is no image
        int errors = 0;
        for (JsonNode line : lines) {
            List<String> keys = new ArrayList<>();
            line.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactly("path", "label", "probability", "probabilities", "error");
            String file = Path.of(URI.create(line.get("path").asText())).toString();
            Prediction want = expected.get(file);
            if (want == null) {
                errors++;
                assertThat(line.get("label").isNull() && line.get("probability").isNull()
                        && line.get("probabilities").isNull()).as(line.toString()).isTrue();
                assertThat(line.get("error").asText()).startsWith("cannot read image " + line.get("path").asText());
                continue;
            }
            assertThat(line.get("error").isNull()).as(line.toString()).isTrue();
            assertThat(line.get("label").asText()).isEqualTo(want.label());
            assertThat(line.get("probability").asDouble()).isCloseTo(want.probability(), within(1e-5));
            List<String> labels = new ArrayList<>();
            line.get("probabilities").fieldNames().forEachRemaining(labels::add);
            assertThat(labels).containsExactlyElementsOf(want.probabilities().keySet());
            want.probabilities().forEach((l, p) ->
                    assertThat(line.get("probabilities").get(l).asDouble()).isCloseTo(p, within(1e-5)));
        }
        assertThat(errors).isEqualTo(3);
    }

    @Test
    void readsAParquetTableOfImagesAndWritesCsv() throws IOException {
        Path model = DemoModel.model();
        Path table = dir.resolve("table.parquet");
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
        try {
            spark.read().format("binaryFile").option("recursiveFileLookup", "true").option("pathGlobFilter",
                    TestImages.GLOB).load(DemoModel.images().toString()).selectExpr("path", "content AS bytes")
                    .write().parquet(table.toString());
        } finally {
            spark.stop();
        }
        Path out = dir.resolve("csv");
        int code = BatchPredict.run(model.toString(), table.toString(), "--out", out.toString(), "--format", "csv",
                "--master", "local[2]", "--content-col", "bytes");
        assertThat(code).isZero();
        SparkSession check = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false").getOrCreate();
        try {
            List<Row> rows = check.read().option("header", "true").csv(out.toString()).collectAsList();
            assertThat(rows).hasSize(12);
            assertThat(rows.get(0).schema().fieldNames()).containsExactly("path", "label", "probability",
                    "probabilities", "error");
            for (Row r : rows) {
                assertThat(r.<String>getAs("label")).isIn(DemoModel.CLASSES);
                assertThat(r.<String>getAs("probabilities")).startsWith("{\"animals\":");
                assertThat(r.<String>getAs("error")).isNull();
            }
        } finally {
            check.stop();
        }
    }
}
