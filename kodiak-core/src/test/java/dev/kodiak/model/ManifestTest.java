package dev.kodiak.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.KodiakException;
import dev.kodiak.data.SplitterSpec;
import dev.kodiak.io.DType;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.learn.Recipe;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest of format version 2 in named sections; version 1's flat form is read into it. */
class ManifestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StateDict WEIGHTS = StateDict.of(List.of(new TensorData("w", DType.F32, new long[] {1},
            new byte[4])));

    @TempDir
    Path dir;

    static Manifest sample() {
        return Manifest.of("test", "2026-12-07T00:00:00Z",
                new Manifest.Model("resnet18", new Manifest.Head("fastai", 1024, 512, 2)),
                Manifest.Input.image(List.of(64, 48), List.of(new ItemTransformSpec.Resize(64, 48, "pad", "zeros"),
                        new ItemTransformSpec.RandomResizedCrop(64, 48, 0.35)),
                        new Manifest.Normalization(List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225))),
                new Manifest.Output(Manifest.MULTI_LABEL, List.of("cat", "dog"), "bce_with_logits", 0.5),
                new Manifest.Training(new Manifest.Data("/data/pets", "abc", new SplitterSpec.Grandparent("train",
                        "valid", "test", 0.1, 7), "folder", List.of("valid/cat/1.jpg"), List.of()), "resnet18",
                        Recipe.fineTune(3), Map.of("frozen", 1, "unfrozen", 3), Map.of("valid_loss", 0.25), "fp32"));
    }

    @Test
    void aManifestIsWrittenInNamedSectionsAndReadBackEqual() throws IOException {
        Path file = dir.resolve("m.kodiak");
        Manifest written = ModelFile.write(file, sample(), WEIGHTS);
        Manifest read = ModelFile.read(file).manifest();
        assertThat(read).isEqualTo(written);
        JsonNode tree = JSON.readTree(ModelFile.JSON.writeValueAsBytes(read));
        assertThat(tree.get("format_version").asInt()).isEqualTo(2);
        assertThat(tree.at("/model/architecture").asText()).isEqualTo("resnet18");
        assertThat(tree.at("/input/item_transforms/1/type").asText()).isEqualTo("random_resized_crop");
        assertThat(tree.at("/input/item_transforms/0/pad_mode").asText()).isEqualTo("zeros");
        assertThat(tree.at("/output/threshold").asDouble()).isEqualTo(0.5);
        assertThat(tree.at("/training/data/split/kind").asText()).isEqualTo("grandparent");
        assertThat(tree.at("/training/recipe/name").asText()).isEqualTo("fine_tune");
        assertThat(tree.at("/training/recipe/version").asInt()).isEqualTo(1);
    }

    @Test
    void theNumberOfTrainingProcessesIsRecordedAndAbsentMeansOne() throws IOException {
        Manifest one = sample();
        assertThat(one.training().processes()).isEqualTo(1);
        assertThat(JSON.readTree(ModelFile.JSON.writeValueAsBytes(one)).at("/training").has("world_size")).isFalse();
        Manifest.Training t = one.training();
        Manifest two = one.with(one.model(), one.input(), one.output(), new Manifest.Training(t.data(), t.pretrained(),
                t.recipe(), t.epochs(), t.metrics(), t.precision(), 2));
        Path file = dir.resolve("two.kodiak");
        ModelFile.write(file, two, WEIGHTS);
        Manifest read = ModelFile.read(file).manifest();
        assertThat(read.training().worldSize()).isEqualTo(2);
        assertThat(read.training().processes()).isEqualTo(2);
        assertThat(JSON.readTree(ModelFile.JSON.writeValueAsBytes(read)).at("/training/world_size").asInt()).isEqualTo(2);
    }

    @Test
    void anUnknownRecipeNameOrVersionInAModelFileIsRefusedNamingTheFile() throws IOException {
        Path file = dir.resolve("m.kodiak");
        ModelFile.write(file, sample(), WEIGHTS);
        Path renamed = rewrite(file, "renamed.kodiak", m -> ((ObjectNode) m.at("/training/recipe")).put("name", "fit_flat"));
        assertThatThrownBy(() -> ModelFile.read(renamed)).isInstanceOf(KodiakException.class)
                .hasMessageStartingWith("model file " + renamed + ": the manifest is invalid: unknown recipe 'fit_flat'")
                .hasMessageContaining("at training.recipe");
        Path newer = rewrite(file, "newer.kodiak", m -> ((ObjectNode) m.at("/training/recipe")).put("version", 2));
        assertThatThrownBy(() -> ModelFile.readManifest(newer)).isInstanceOf(KodiakException.class)
                .hasMessageStartingWith("model file " + newer + ": the manifest is invalid: recipe fine_tune has "
                        + "version 2, but this Kodiak reads version 1: upgrade Kodiak");
        Path sharpen = rewrite(file, "sharpen.kodiak", m -> ((ObjectNode) m.at("/input/item_transforms/0")).put("type",
                "sharpen"));
        assertThatThrownBy(() -> ModelFile.read(sharpen)).hasMessageContaining("model file " + sharpen)
                .hasMessageContaining("'sharpen'");
    }

    @Test
    void aFlatManifestOfFormatVersionOneIsReadIntoTheSections() throws IOException {
        ObjectNode v1 = (ObjectNode) JSON.readTree(ManifestTest.class.getResourceAsStream("v1-manifest.json"));
        Path file = zip(dir.resolve("v1.kodiak"), v1);
        Manifest m = ModelFile.read(file).manifest();
        assertThat(m.formatVersion()).isEqualTo(1);
        assertThat(m.model()).isEqualTo(new Manifest.Model("resnet18", new Manifest.Head("fastai", 1024, 512, 2)));
        assertThat(m.input()).isEqualTo(new Manifest.Input("image", 3, List.of(32, 32),
                List.of(new ItemTransformSpec.Resize(32, 32, "crop", "reflection")),
                new Manifest.Normalization(List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225))));
        assertThat(m.output()).isEqualTo(new Manifest.Output("single_label", List.of("blue", "red"), "cross_entropy",
                null));
        assertThat(m.trainingData().split()).isEqualTo(new SplitterSpec.Random(0.25, 0, 42));
        assertThat(m.trainingData().validFiles()).hasSize(6).startsWith("blue/blue_3.png");
        assertThat(m.training().recipe()).isEqualTo(Recipe.fitOneCycle(1, 1e-3)); // from "fit_one_cycle(1, lr_max=0.001)"
        assertThat(m.training().epochs()).containsEntry("train", 1);
    }

    /**
     * A model file with the format-version-1 manifest {@code v1} (a copy of src/test/resources/.../v1-manifest.json,
     * written by Kodiak before format 2) and {@link #WEIGHTS}, its SHA-256 put in the manifest.
     */
    static Path zip(Path file, ObjectNode v1) throws IOException {
        Path weightsOnly = file.resolveSibling("weights-of-" + file.getFileName());
        ModelFile.write(weightsOnly, sample(), WEIGHTS);
        ((ObjectNode) v1.get("weights")).put("sha256", ModelFile.read(weightsOnly).manifest().weights().sha256());
        ((ObjectNode) v1.get("weights")).put("tensors", 1);
        byte[] weights;
        try (var zip = new java.util.zip.ZipFile(weightsOnly.toFile())) {
            weights = zip.getInputStream(zip.getEntry(ModelFile.WEIGHTS)).readAllBytes();
        }
        return write(file, JSON.writeValueAsBytes(v1), weights);
    }

    private static Path rewrite(Path from, String name, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        byte[] manifest;
        byte[] weights;
        try (var zip = new java.util.zip.ZipFile(from.toFile())) {
            manifest = zip.getInputStream(zip.getEntry(ModelFile.MANIFEST)).readAllBytes();
            weights = zip.getInputStream(zip.getEntry(ModelFile.WEIGHTS)).readAllBytes();
        }
        ObjectNode m = (ObjectNode) JSON.readTree(manifest);
        edit.accept(m);
        return write(from.resolveSibling(name), JSON.writeValueAsBytes(m), weights);
    }

    private static Path write(Path file, byte[] manifest, byte[] weights) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(ModelFile.MANIFEST));
            zip.write(manifest);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(ModelFile.WEIGHTS));
            zip.write(weights);
            zip.closeEntry();
        }
        return file;
    }
}
