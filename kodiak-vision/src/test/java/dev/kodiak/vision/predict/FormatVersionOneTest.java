package dev.kodiak.vision.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.learn.Recipe;
import dev.kodiak.model.ModelFile;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.VisionModel;
import dev.kodiak.vision.testing.TinyModel;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model file of format version 1 (one flat manifest, the recipe in words) still loads and predicts. */
class FormatVersionOneTest {
    @TempDir
    Path dir;

    @Test
    void aModelFileOfFormatVersionOneLoadsAndPredicts() throws Exception {
        // v1-manifest.json is the manifest Kodiak wrote for TinyModel before format 2 (a ResNet-18 on 32 px, 2 labels);
        // the weights are a fresh ResNet-18 of that shape, their SHA-256 put where the file records it
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(getClass().getResourceAsStream("v1-manifest.json"));
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        SafeTensors.write(weights, VisionModel.create(Architectures.RESNET18, 2).stateDict());
        ((ObjectNode) manifest.get("weights")).put("sha256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(weights.toByteArray())));
        Path file = dir.resolve("v1.kodiak");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(ModelFile.MANIFEST));
            zip.write(json.writeValueAsBytes(manifest));
            zip.putNextEntry(new ZipEntry(ModelFile.WEIGHTS));
            zip.write(weights.toByteArray());
            zip.closeEntry();
        }
        Path image = TinyModel.dataset(dir.resolve("data"), 1).resolve("red/red_0.png");
        try (Predictor p = Predictor.load(file)) {
            assertThat(p.manifest().formatVersion()).isEqualTo(1);
            assertThat(p.labels()).containsExactly("blue", "red");
            assertThat(p.inputSize()).containsExactly(32, 32);
            assertThat(p.manifest().training().recipe()).isEqualTo(Recipe.fitOneCycle(1, 1e-3));
            Prediction answer = p.predict(image);
            assertThat(answer.label()).isIn("blue", "red");
            assertThat(answer.probabilities().values().stream().mapToDouble(Double::doubleValue).sum())
                    .isCloseTo(1.0, within(1e-5));
        }
    }
}
