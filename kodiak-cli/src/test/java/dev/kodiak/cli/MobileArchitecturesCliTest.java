package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A family other than ResNet is a full citizen of the CLI: {@code --arch efficientnet_b0} trains (fine-tuning's
 * freeze and discriminative groups included), writes a model file that names it, and {@code predict} reads it back.
 */
class MobileArchitecturesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Tag("slow")
    void efficientNetB0TrainsFromScratchAndItsModelPredicts() throws Exception {
        Path data = TestImages.folders(dir.resolve("shapes"), 4, "red", "blue");
        Path model = dir.resolve("e.kodiak");
        CliRun train = CliRun.of("train", data.toString(), "--arch", "efficientnet_b0", "--weights", "none",
                "--epochs", "1", "--size", "64", "--bs", "4", "--json", "--out", model.toString(), "--workers", "1");
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(TrainCommandTest.lines(train.out()).get(0).get("train_loss").asDouble()).isPositive();
        Manifest m = ModelFile.read(model).manifest();
        assertThat(m.model().architecture()).isEqualTo("efficientnet_b0");
        assertThat(ModelFile.read(model).weights().names()).contains("body.features.1.0.block.1.fc1.weight",
                "body.features.8.0.weight", "head.1.weight"); // from scratch: the plain head

        CliRun predict = CliRun.of("predict", model.toString(), data.resolve("red/red_00.png").toString(), "--json");
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        JsonNode line = JSON.readTree(predict.out().trim());
        assertThat(line.get("label").asText()).isIn("red", "blue");
        assertThat(line.get("probabilities").get("red").asDouble() + line.get("probabilities").get("blue").asDouble())
                .isBetween(0.999, 1.001);
    }
}
