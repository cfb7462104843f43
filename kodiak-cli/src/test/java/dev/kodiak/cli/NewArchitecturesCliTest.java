package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.model.ModelFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ConvNeXt and the Vision Transformer are full citizens of the CLI: {@code --arch} trains one (from scratch here, to
 * stay offline) into a model file that {@code predict} reads back; a ViT refuses sizes its position embeddings do
 * not cover, saying which size to use.
 */
class NewArchitecturesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    @Tag("slow")
    void convnextTinyTrainsAndPredicts() throws Exception {
        trainsAndPredicts("convnext_tiny", 32);
    }

    @Test
    @Tag("slow")
    void vitB16TrainsAndPredictsAtAnyMultipleOfItsPatch() throws Exception {
        Path data = TestImages.folders(dir.resolve("d"), 3, "a", "b");
        CliRun refused = CliRun.of("train", data.toString(), "--arch", "vit_b_16", "--weights", "none", "--epochs", "1",
                "--size", "72", "--bs", "4", "--out", dir.resolve("small.kodiak").toString());
        assertThat(refused.exitCode()).as(refused.err()).isNotZero();
        assertThat(refused.err()).contains("kodiak: vit_b_16 cuts images into patches of 16 px")
                .contains("got 72x72").contains("use --size 80");
        trainsAndPredicts("vit_b_16", 64);
    }

    private void trainsAndPredicts(String arch, int size) throws Exception {
        Path data = TestImages.folders(dir.resolve("d"), 3, "a", "b");
        Path model = dir.resolve(arch + ".kodiak");
        CliRun train = CliRun.of("train", data.toString(), "--arch", arch, "--weights", "none", "--epochs", "1",
                "--size", Integer.toString(size), "--bs", "4", "--precision", "fp32", "--json",
                "--out", model.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        JsonNode epoch = JSON.readTree(train.out().lines().findFirst().orElseThrow());
        assertThat(epoch.get("train_loss").asDouble()).as(epoch.toString()).isPositive();
        assertThat(ModelFile.read(model).manifest().model().architecture()).isEqualTo(arch);

        CliRun predict = CliRun.of("predict", model.toString(), data.resolve("a/a_00.png").toString(), "--json");
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        JsonNode line = JSON.readTree(predict.out().trim());
        double a = line.get("probabilities").get("a").asDouble();
        double b = line.get("probabilities").get("b").asDouble();
        assertThat(a + b).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
}
