package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A checkpoint's plan keeps a CSV run's data options, so --resume reads the same table with the same task. */
class TrainPlanCsvTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TrainPlan plan(TrainPlan.CsvPlan csv) {
        return new TrainPlan("/data", 0.2, 0, 42, 42L, null, null, "folder", "resnet18", "none", 1, 1, null, 8, 32,
                "crop", false, null, "fp32", null, null, null, null, csv);
    }

    @Test
    void theCsvOptionsSurviveTheCheckpointsPlan() {
        TrainPlan.CsvPlan csv = new TrainPlan.CsvPlan("labels.csv", "file", "a,b", "is_valid", " ", true,
                "regression", "0,10", null);
        JsonNode saved = JSON.valueToTree(plan(csv));
        assertThat(saved.at("/csv/label_delim").asText()).isEqualTo(" ");
        assertThat(TrainPlan.read(saved, Path.of("m.kodiak.ckpt")).csv()).isEqualTo(csv);
    }

    @Test
    void aPlanWithoutCsvReadsAsBefore() {
        JsonNode saved = JSON.valueToTree(plan(null));
        assertThat(TrainPlan.read(saved, Path.of("m.kodiak.ckpt")).csv()).isNull();
    }
}
