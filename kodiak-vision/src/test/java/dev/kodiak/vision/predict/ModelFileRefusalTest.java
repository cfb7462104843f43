package dev.kodiak.vision.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.KodiakException;
import dev.kodiak.io.DType;
import dev.kodiak.io.SafeTensors;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.models.Architectures;
import dev.kodiak.vision.models.VisionModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a model file can be wrong is refused with a message that names the problem. */
class ModelFileRefusalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Manifest manifest;
    static StateDict weights;
    static Path good;

    @BeforeAll
    static void writeAGoodFile() {
        weights = VisionModel.create(Architectures.RESNET18, 2).stateDict();
        Map<String, Object> resize = new LinkedHashMap<>();
        resize.put("type", "resize");
        resize.put("height", 32);
        resize.put("width", 32);
        resize.put("method", "crop");
        resize.put("pad_mode", "reflection");
        manifest = new Manifest(1, "test", "2026-01-01T00:00:00Z", "resnet18",
                new Manifest.Head("fastai", 1024, 512, 2), Manifest.SINGLE_LABEL, List.of("cat", "dog"),
                "cross_entropy", null, 3, List.of(32, 32), List.of(resize),
                new Manifest.Normalization(List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25)), null, null);
        good = dir.resolve("good.kodiak");
        ModelFile.write(good, manifest, weights);
    }

    @Test
    void theGoodFileLoads() {
        try (Predictor p = Predictor.load(good)) {
            assertThat(p.labels()).containsExactly("cat", "dog");
        }
    }

    @Test
    void aFlippedByteIsCaught() throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length / 2] ^= 0x5A; // inside the (compressed) weights
        Path bad = write("flipped.kodiak", bytes);
        assertRefused(bad, "is damaged or truncated");
    }

    @Test
    void weightsThatDoNotMatchTheirChecksumAreRefused() throws IOException {
        byte[] tampered = safetensors(weights);
        tampered[tampered.length - 10] ^= 0x01; // one weight changed, the manifest's SHA-256 not updated
        Path bad = zip("tampered.kodiak", Map.of(ModelFile.MANIFEST, manifestBytes(good),
                ModelFile.WEIGHTS, tampered));
        assertRefused(bad, "the weights do not match the SHA-256 in the manifest");
    }

    @Test
    void aTruncatedFileIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(good);
        Path bad = write("truncated.kodiak", Arrays.copyOf(bytes, bytes.length / 3));
        assertRefused(bad, "is damaged or truncated");
    }

    @Test
    void anUnknownFormatVersionIsRefused() throws IOException {
        ObjectNode m = (ObjectNode) JSON.readTree(manifestBytes(good));
        m.put("format_version", 7);
        Path bad = zip("v7.kodiak", Map.of(ModelFile.MANIFEST, JSON.writeValueAsBytes(m),
                ModelFile.WEIGHTS, safetensors(weights)));
        assertRefused(bad, "has format version 7, but this Kodiak reads version 1: upgrade Kodiak");
    }

    @Test
    void anUnknownArchitectureIsRefused() {
        Path bad = dir.resolve("vgg.kodiak");
        ModelFile.write(bad, with(manifest, "vgg16"), weights);
        assertRefused(bad, "unknown architecture 'vgg16'");
    }

    @Test
    void weightsOfAnotherArchitectureAreRefused() {
        Path bad = dir.resolve("resnet34.kodiak");
        ModelFile.write(bad, with(manifest, "resnet34"), weights); // resnet18 weights, resnet34 in the manifest
        assertRefused(bad, "its weights do not fit the resnet34 with a 2-output head",
                "missing: body.layer1.2.conv1.weight");
    }

    @Test
    void anExtraTensorIsRefused() {
        List<TensorData> tensors = new ArrayList<>(weights.tensors());
        tensors.add(TensorData.ofFloats("head.surprise", new float[] {1, 2}, 2));
        Path bad = dir.resolve("extra.kodiak");
        ModelFile.write(bad, manifest, StateDict.of(tensors));
        assertRefused(bad, "1 unexpected: head.surprise");
    }

    @Test
    void aMissingTensorIsRefused() {
        Path bad = dir.resolve("missing.kodiak");
        ModelFile.write(bad, manifest, weights.filter(n -> !n.equals("head.fc2.weight")));
        assertRefused(bad, "1 missing: head.fc2.weight");
    }

    @Test
    void aTensorOfTheWrongShapeOrTypeIsRefused() {
        List<TensorData> shaped = new ArrayList<>();
        List<TensorData> typed = new ArrayList<>();
        for (TensorData t : weights.tensors()) {
            if (t.name().equals("head.fc2.weight")) {
                shaped.add(TensorData.ofFloats(t.name(), new float[3 * 512], 3, 512));
                typed.add(new TensorData(t.name(), DType.F64, t.shape(), new byte[t.data().length * 2]));
            } else {
                shaped.add(t);
                typed.add(t);
            }
        }
        Path badShape = dir.resolve("shape.kodiak");
        ModelFile.write(badShape, manifest, StateDict.of(shaped));
        assertRefused(badShape, "1 with the wrong shape: head.fc2.weight (file [3, 512], model [2, 512])");
        Path badType = dir.resolve("type.kodiak");
        ModelFile.write(badType, manifest, StateDict.of(typed));
        assertRefused(badType, "1 with the wrong type: head.fc2.weight (file f64, model f32)");
    }

    @Test
    void aZipSlipEntryIsRefused() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(ModelFile.MANIFEST, manifestBytes(good));
        entries.put("../../etc/evil.sh", new byte[] {'#', '!'});
        entries.put(ModelFile.WEIGHTS, safetensors(weights));
        assertRefused(zip("slip.kodiak", entries), "'../../etc/evil.sh' that points outside the archive");
    }

    @Test
    void aFileThatIsNoZipOrHasAStrangerInsideIsRefused() throws IOException {
        assertRefused(write("text.kodiak", "hello, I am not a model".getBytes()), "is not a Kodiak model");
        assertRefused(zip("stranger.kodiak", Map.of(ModelFile.MANIFEST, manifestBytes(good),
                ModelFile.WEIGHTS, safetensors(weights), "run.py", new byte[] {1})), "unexpected entry 'run.py'");
        assertRefused(dir.resolve("nowhere.kodiak"), "does not exist");
    }

    @Test
    void aManifestThatContradictsItselfIsRefused() {
        Path labels = dir.resolve("labels.kodiak");
        ModelFile.write(labels, new Manifest(1, "test", null, "resnet18", manifest.head(), Manifest.SINGLE_LABEL,
                List.of("cat", "dog", "bird"), "cross_entropy", null, 3, List.of(32, 32), manifest.itemTransforms(),
                manifest.normalization(), null, null), weights);
        assertRefused(labels, "the head has 2 outputs but 3 labels are listed");
        Path size = dir.resolve("size.kodiak");
        ModelFile.write(size, new Manifest(1, "test", null, "resnet18", manifest.head(), Manifest.SINGLE_LABEL,
                manifest.labels(), "cross_entropy", null, 3, List.of(64, 64), manifest.itemTransforms(),
                manifest.normalization(), null, null), weights);
        assertRefused(size, "input_size [64, 64] disagrees with the item transforms, which give 32x32");
        Path transform = dir.resolve("transform.kodiak");
        ModelFile.write(transform, new Manifest(1, "test", null, "resnet18", manifest.head(), Manifest.SINGLE_LABEL,
                manifest.labels(), "cross_entropy", null, 3, null, List.of(Map.of("type", "sharpen")),
                manifest.normalization(), null, null), weights);
        assertRefused(transform, "unknown type 'sharpen'");
    }

    private static void assertRefused(Path file, String... fragments) {
        var thrown = assertThatThrownBy(() -> Predictor.load(file).close()).isInstanceOf(KodiakException.class)
                .hasMessageContaining(file.toString());
        for (String f : fragments) {
            thrown.hasMessageContaining(f);
        }
    }

    private static Manifest with(Manifest m, String architecture) {
        return new Manifest(m.formatVersion(), m.kodiakVersion(), m.createdAt(), architecture, m.head(), m.task(),
                m.labels(), m.loss(), m.threshold(), m.inputChannels(), m.inputSize(), m.itemTransforms(),
                m.normalization(), null, m.training());
    }

    private static byte[] manifestBytes(Path model) throws IOException {
        try (ZipFile zip = new ZipFile(model.toFile())) {
            return zip.getInputStream(zip.getEntry(ModelFile.MANIFEST)).readAllBytes();
        }
    }

    private static byte[] safetensors(StateDict dict) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, dict);
        return out.toByteArray();
    }

    private static Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
