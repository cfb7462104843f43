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
import dev.kodiak.model.ItemTransformSpec;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.VisionModel;
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
        manifest = Manifest.of("test", "2026-01-01T00:00:00Z",
                new Manifest.Model("resnet18", new Manifest.Head("fastai", 1024, 512, 2)),
                Manifest.Input.image(List.of(32, 32), List.of(new ItemTransformSpec.Resize(32, 32, "crop", "reflection")),
                        new Manifest.Normalization(List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25))),
                new Manifest.Output(Manifest.SINGLE_LABEL, List.of("cat", "dog"), "cross_entropy", null), null);
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
        assertRefused(bad, "has format version 7, but this Kodiak reads versions 1 and 2: upgrade Kodiak");
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
        assertRefused(bad, "it holds the tensor head.surprise, which a resnet18 with a 2-output head does not have");
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
        // both are refused from the safetensors header, before the tensors are read
        Path badShape = dir.resolve("shape.kodiak");
        ModelFile.write(badShape, manifest, StateDict.of(shaped));
        assertRefused(badShape, "tensor head.fc2.weight has the shape [3, 512], but in a resnet18 with a 2-output "
                + "head it is [2, 512]");
        Path badType = dir.resolve("type.kodiak");
        ModelFile.write(badType, manifest, StateDict.of(typed));
        assertRefused(badType, "its tensors declare", "bytes, more than the", "that a resnet18 with a 2-output head "
                + "takes");
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
    void aManifestThatContradictsItselfIsRefused() throws IOException {
        Path labels = dir.resolve("labels.kodiak");
        ModelFile.write(labels, with(manifest.model().head(), List.of("cat", "dog", "bird"), List.of(32, 32),
                manifest.input().normalization()), weights);
        assertRefused(labels, "the head has 2 outputs but 3 labels are listed");
        Path size = dir.resolve("size.kodiak");
        ModelFile.write(size, with(manifest.model().head(), manifest.output().labels(), List.of(64, 64),
                manifest.input().normalization()), weights);
        assertRefused(size, "input_size [64, 64] disagrees with the item transforms, which give 32x32");
        Path transform = dir.resolve("transform.kodiak");
        ModelFile.write(transform, manifest, weights);
        editManifest(transform, m -> ((ObjectNode) m.at("/input/item_transforms/0")).put("type", "sharpen"));
        assertRefused(transform, "the manifest is invalid", "'sharpen'", "input.item_transforms.0");
    }

    @Test
    void aWeightsEntryLargerThanTheArchitectureTakesIsRefusedBeforeItIsRead() throws IOException {
        // a stored entry declares its size: the model's weights plus 4 MB
        List<TensorData> padded = new ArrayList<>(weights.tensors());
        padded.add(new TensorData("head.pad", DType.U8, new long[] {4L << 20}, new byte[4 << 20]));
        Path stored = dir.resolve("stored-bomb.kodiak");
        ModelFile.write(stored, manifest, StateDict.of(padded));
        assertRefused(stored, "refusing model file", "its entry weights.safetensors declares", "more than what a "
                + "resnet18 with a 2-output head takes", "zip bomb");

        // a deflated one need not: 64 MB of zeros in 64 KB, counted while inflating (a 6 GB one works alike)
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(ModelFile.MANIFEST, manifestBytes(good));
        entries.put(ModelFile.WEIGHTS, new byte[64 << 20]);
        Path deflated = zip("deflated-bomb.kodiak", entries);
        assertThat(Files.size(deflated)).isLessThan(1L << 17);
        assertRefused(deflated, "its entry weights.safetensors inflates to more than", "zip bomb");
    }

    @Test
    void normalizationStatisticsOutsideASaneRangeAreRefused() {
        for (Object[] c : new Object[][] {{List.of(0.5, 0.5, 0.5), List.of(0.25, 1e-40, 0.25), "normalization.std[1]"},
                {List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 1e300), "normalization.std[2]"},
                {List.of(1e300, 0.5, 0.5), List.of(0.25, 0.25, 0.25), "normalization.mean[0]"}}) {
            @SuppressWarnings("unchecked")
            Manifest.Normalization n = new Manifest.Normalization((List<Double>) c[0], (List<Double>) c[1]);
            Path bad = dir.resolve("norm-" + c[2] + ".kodiak");
            ModelFile.write(bad, with(manifest.model().head(), manifest.output().labels(), List.of(32, 32), n), weights);
            assertRefused(bad, (String) c[2], "must be");
        }
    }

    @Test
    void headSizesTheArchitectureDoesNotBuildAreRefusedBeforeBuildingIt() {
        Path hidden = dir.resolve("hidden.kodiak");
        ModelFile.write(hidden, with(new Manifest.Head("fastai", 1024, 2_000_000_000, 2), manifest.output().labels(),
                List.of(32, 32), manifest.input().normalization()), weights);
        assertRefused(hidden, "head.hidden is 2000000000, but the fastai head Kodiak builds has 512");

        List<String> million = new ArrayList<>(1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            million.add("c" + i);
        }
        Path labels = dir.resolve("million.kodiak");
        ModelFile.write(labels, with(new Manifest.Head("fastai", 1024, 512, 1_000_000), million, List.of(32, 32),
                manifest.input().normalization()), weights);
        assertRefused(labels, "it lists 1000000 labels, more than the 100000 a Kodiak model may have");
    }

    @Test
    void anInputSizeBeyondTheLimitIsRefused() throws IOException {
        Path huge = dir.resolve("resize.kodiak");
        ModelFile.write(huge, manifest.with(manifest.model(), Manifest.Input.image(null,
                List.of(new ItemTransformSpec.Resize(60000, 60000, "crop", "reflection")),
                manifest.input().normalization()), manifest.output(), null), weights);
        assertRefused(huge, "Resize to 60000x60000 is larger than Kodiak's limit of 4096 pixels a side");

        Path wrapped = dir.resolve("wrapped.kodiak");
        ModelFile.write(wrapped, manifest, weights);
        editManifest(wrapped, m -> ((ObjectNode) m.at("/input/item_transforms/0")).put("height", 4294967328L)); // 32 as an int
        assertRefused(wrapped, "the manifest is invalid", "4294967328", "out of range", "input.item_transforms.0.height");
        Path fraction = dir.resolve("fraction.kodiak");
        ModelFile.write(fraction, manifest, weights);
        editManifest(fraction, m -> ((ObjectNode) m.at("/input/item_transforms/0")).put("width", 32.7));
        assertRefused(fraction, "the manifest is invalid", "32.7", "input.item_transforms.0.width");
    }

    @Test
    void aFormatVersionThatIsNotExactlyAKnownWholeNumberSaysWhatIsWrong() throws IOException {
        assertRefused(withVersion("v19.kodiak", JSON.getNodeFactory().numberNode(1.9)),
                "the manifest's format_version is 1.9, not a whole number (this Kodiak reads versions 1 and 2)");
        assertRefused(withVersion("vstring.kodiak", JSON.getNodeFactory().textNode("1")),
                "the manifest's format_version is \"1\", a string, not a whole number (this Kodiak reads versions 1 and 2)");
        assertRefused(withVersion("vhuge.kodiak", JSON.getNodeFactory().numberNode(
                new java.math.BigInteger("99999999999999999999"))),
                "has format version 99999999999999999999, but this Kodiak reads versions 1 and 2: upgrade Kodiak");
        assertRefused(withVersion("vnull.kodiak", JSON.getNodeFactory().nullNode()),
                "the manifest has no format_version (this Kodiak reads versions 1 and 2)");
    }

    private static Path withVersion(String name, com.fasterxml.jackson.databind.JsonNode version) throws IOException {
        ObjectNode m = (ObjectNode) JSON.readTree(manifestBytes(good));
        m.set("format_version", version);
        return zip(name, Map.of(ModelFile.MANIFEST, JSON.writeValueAsBytes(m))); // refused before any weights
    }

    private static void assertRefused(Path file, String... fragments) {
        var thrown = assertThatThrownBy(() -> Predictor.load(file).close()).isInstanceOf(KodiakException.class)
                .hasMessageContaining(file.toString());
        for (String f : fragments) {
            thrown.hasMessageContaining(f);
        }
    }

    private static Manifest with(Manifest m, String architecture) {
        return m.with(new Manifest.Model(architecture, m.model().head()), m.input(), m.output(), m.training());
    }

    /** The good manifest with another head, labels, input size and normalization. */
    private static Manifest with(Manifest.Head head, List<String> labels, List<Integer> size, Manifest.Normalization n) {
        return manifest.with(new Manifest.Model("resnet18", head),
                Manifest.Input.image(size, manifest.input().itemTransforms(), n),
                new Manifest.Output(Manifest.SINGLE_LABEL, labels, "cross_entropy", null), null);
    }

    /** Rewrites the manifest entry of {@code file} as JSON (for values the typed records cannot hold). */
    private static void editManifest(Path file, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode m = (ObjectNode) JSON.readTree(manifestBytes(file));
        edit.accept(m);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (var e : java.util.Collections.list(zip.entries())) {
                entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
            }
        }
        entries.put(ModelFile.MANIFEST, JSON.writeValueAsBytes(m));
        Files.move(zip(file.getFileName() + ".edited", entries), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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
