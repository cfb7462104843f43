package dev.kodiak.vision.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.GradMode;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import dev.kodiak.io.DType;
import dev.kodiak.testing.PythonTorch;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.model.ItemTransformSpec;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.Peers;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.models.Architecture;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.Heads;
import dev.kodiak.models.VisionModel;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.transforms.Normalize;
import dev.kodiak.vision.transforms.Resize;
import dev.kodiak.vision.transforms.TransformSpecs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exported graph, run by ONNX Runtime, gives what Kodiak's {@link Predictor} gives for the same images (within
 * 1e-4), for each task's activation, at batch sizes 1 and 3, with float input and with the preprocessing in the
 * graph. The models are seeded random ResNets whose BatchNorm statistics and affine parameters are drawn at random too,
 * so that folding them matters.
 */
class OnnxExportTest {
    private static final int HEIGHT = 40; // not square: a swapped height and width would show
    private static final int WIDTH = 56;
    private static final double TOLERANCE = 1e-4;

    @TempDir
    static Path dir;
    static Path singleLabel;
    static Path multiLabel;
    static Path regression;
    static OrtEnvironment ort;

    @BeforeAll
    static void models() {
        singleLabel = model(dir.resolve("single.kodiak"), Manifest.SINGLE_LABEL, List.of("cat", "dog", "fox"), 1);
        multiLabel = model(dir.resolve("multi.kodiak"), Manifest.MULTI_LABEL, List.of("sky", "sea", "tree", "car"), 2);
        regression = model(dir.resolve("regression.kodiak"), Manifest.REGRESSION, List.of("scale", "angle"), 3);
        ort = OrtEnvironment.getEnvironment();
    }

    @Test
    void thePlainHeadOfAModelTrainedFromScratchExportsAndGivesThePredictorsValues() throws Exception {
        Engine.seed(21);
        VisionModel net = VisionModel.create(Architectures.RESNET18, 3, Heads.linear());
        StateDict weights;
        try {
            weights = perturbed(net.stateDict(), new Random(21), 1f);
        } finally {
            net.release();
        }
        Path linear = write(dir.resolve("linear.kodiak"), Architectures.RESNET18, Manifest.SINGLE_LABEL,
                List.of("a", "b", "c"), weights, HEIGHT, WIDTH, null,
                new Manifest.Head(Heads.LINEAR, Architectures.RESNET18.bodyFeatures(), 0, 3));
        byte[] onnx = OnnxExport.toBytes(linear, OnnxOptions.defaults());
        List<RgbImage> images = images(3, 22);
        float[][] expected = predicted(linear, images);
        float[][] actual = runFloat(onnx, images, Normalize.imagenet());
        report("linear head", expected, actual);
        assertThat(maxAbsDiff(expected, actual)).isLessThan(TOLERANCE);
        assertThat(maxAbsDiff(expected, new float[][] {expected[1], expected[2], expected[0]}))
                .as("the images give different answers").isGreaterThan(1e-3);
    }

    @Test
    void singleLabelProbabilitiesEqualThePredictorsAtBatchOneAndThree() throws Exception {
        byte[] onnx = OnnxExport.toBytes(singleLabel, OnnxOptions.defaults());
        for (int n : new int[] {1, 3}) {
            List<RgbImage> images = images(n, 10 + n);
            float[][] expected = predicted(singleLabel, images);
            float[][] actual = runFloat(onnx, images, Normalize.imagenet());
            report("single-label, float input, batch " + n, expected, actual);
            assertThat(maxAbsDiff(expected, actual)).isLessThan(TOLERANCE);
            for (float[] row : actual) {
                assertThat(row[0] + row[1] + row[2]).as("softmax rows sum to 1").isBetween(0.9999f, 1.0001f);
            }
        }
    }

    @Test
    void resNet50sBottleneckBlocksExportAsWell() throws Exception {
        // Its random logits reach ~20: the last layer scaled by 0.1 keeps the softmax off its saturated ends.
        Path resnet50 = model(dir.resolve("resnet50.kodiak"), Architectures.RESNET50, Manifest.SINGLE_LABEL,
                List.of("a", "b", "c", "d", "e"), 5, 0.1f);
        List<RgbImage> images = images(2, 50);
        float[][] expected = predicted(resnet50, images);
        float[][] actual = runFloat(OnnxExport.toBytes(resnet50, OnnxOptions.defaults()), images,
                Normalize.imagenet());
        report("resnet50 single-label, float input, batch 2", expected, actual);
        assertThat(maxAbsDiff(expected, actual)).isLessThan(TOLERANCE);
    }

    /**
     * EfficientNet (depthwise convolutions, SiLU, squeeze-and-excitation, stochastic depth off at inference),
     * MobileNetV3 (hard swish, hard sigmoid, BatchNorm eps 1e-3) and RegNetY (grouped convolutions, projections):
     * a fine-tuned-shaped model (body + fastai head, three outputs) gives the predictor's values in ONNX Runtime.
     * Regression outputs are compared raw (no softmax to flatten differences), and they must differ between the two
     * images, smooth colour gradients (random noise images all pool to the same features): a body whose output ignored
     * the image would match trivially (see {@link #calibratedModel}).
     */
    @ParameterizedTest
    @ValueSource(strings = {"efficientnet_b0", "efficientnet_b3", "mobilenet_v3_large", "regnet_y_800mf"})
    void theMobileFamiliesExportWithTheirBlocksFoldedAndGiveThePredictorsValues(String name) throws Exception {
        Architecture arch = Architectures.byName(name);
        Path file = calibratedModel(dir.resolve(name + ".kodiak"), arch, List.of("a", "b", "c"), 6);
        byte[] onnx = OnnxExport.toBytes(file, OnnxOptions.defaults());
        assertThat(OnnxMl.ModelProto.parseFrom(onnx).getGraph().getNodeList()).extracting(OnnxMl.NodeProto::getOpType)
                .doesNotContain("BatchNormalization").contains("Conv", "Mul");
        List<RgbImage> images = gradients(2);
        float[][] expected = predicted(file, images);
        float[][] actual = runFloat(onnx, images, Normalize.imagenet());
        report(name + " regression, float input, batch 2", expected, actual);
        assertThat(maxAbsDiff(expected, actual)).isLessThan(TOLERANCE);
        assertThat(maxAbsDiff(new float[][] {expected[0]}, new float[][] {expected[1]}))
                .as("the outputs depend on the image").isGreaterThan(1e-3);
    }

    @Test
    void convNeXtExportsAsWellFromOpset17() throws Exception {
        Path convnext = convNeXtModel();
        List<RgbImage> images = images(2, 60);
        float[][] expected = predicted(convnext, images);
        byte[] onnx = OnnxExport.toBytes(convnext, OnnxOptions.defaults());
        float[][] actual = runFloat(onnx, images, Normalize.imagenet());
        report("convnext_tiny single-label, float input, batch 2", expected, actual);
        assertThat(maxAbsDiff(expected, actual)).isLessThan(TOLERANCE);
        assertThat(OnnxMl.ModelProto.parseFrom(onnx).getGraph().getNodeList()).extracting(OnnxMl.NodeProto::getOpType)
                .contains("LayerNormalization", "Erf", "MatMul");
        assertThatThrownBy(() -> OnnxExport.toBytes(convnext, OnnxOptions.defaults().opset(16)))
                .isInstanceOf(KodiakException.class)
                .hasMessageContaining("a convnext_tiny needs --opset 17 or later").hasMessageContaining("got 16");
    }

    @Test
    void aVisionTransformerExportsAsWellAtAnotherSize() throws Exception {
        Path vit = visionTransformerModel();
        List<RgbImage> images = images(2, 70, VIT_HEIGHT, VIT_WIDTH);
        float[][] expected = predicted(vit, images);
        byte[] onnx = OnnxExport.toBytes(vit, OnnxOptions.defaults());
        float[][] actual = runFloat(onnx, images, Normalize.imagenet());
        report("vit_b_16 single-label, float input, batch 2", expected, actual);
        assertThat(maxAbsDiff(expected, actual)).isLessThan(TOLERANCE);
        assertThat(OnnxMl.ModelProto.parseFrom(onnx).getGraph().getNodeList()).extracting(OnnxMl.NodeProto::getOpType)
                .contains("Softmax", "MatMul", "LayerNormalization", "Expand").doesNotContain("BatchNormalization");
    }

    @Test
    void withPreprocessingTheGraphTakesUint8PixelsAndGivesTheSameProbabilities() throws Exception {
        byte[] onnx = OnnxExport.toBytes(singleLabel, OnnxOptions.defaults().withPreprocessing(true));
        for (int n : new int[] {1, 3}) {
            List<RgbImage> images = images(n, 20 + n);
            float[][] expected = predicted(singleLabel, images);
            float[][] actual = run(onnx, OnnxExport.PIXEL_INPUT, pixels(images), n);
            report("single-label, uint8 input, batch " + n, expected, actual);
            assertThat(maxAbsDiff(expected, actual)).isLessThan(TOLERANCE);
        }
        try (OrtSession session = ort.createSession(onnx, new OrtSession.SessionOptions())) {
            assertThat(session.getInputNames()).containsExactly(OnnxExport.PIXEL_INPUT);
            TensorInfo input = (TensorInfo) session.getInputInfo().get(OnnxExport.PIXEL_INPUT).getInfo();
            assertThat(input.type).isEqualTo(OnnxJavaType.UINT8);
            assertThat(input.getShape()).containsExactly(-1, HEIGHT, WIDTH, 3);
        }
    }

    @Test
    void multiLabelGivesSigmoidsAndRegressionRawValuesAsThePredictorDoes() throws Exception {
        for (Path model : List.of(multiLabel, regression)) {
            byte[] onnx = OnnxExport.toBytes(model, OnnxOptions.defaults());
            List<RgbImage> images = images(3, 30);
            float[][] expected = predicted(model, images);
            float[][] actual = runFloat(onnx, images, Normalize.imagenet());
            report(model.getFileName() + ", float input, batch 3", expected, actual);
            assertThat(maxAbsDiff(expected, actual)).isLessThan(TOLERANCE);
        }
        byte[] multiWithPixels = OnnxExport.toBytes(multiLabel, OnnxOptions.defaults().withPreprocessing(true));
        List<RgbImage> images = images(2, 31);
        assertThat(maxAbsDiff(predicted(multiLabel, images), run(multiWithPixels, OnnxExport.PIXEL_INPUT,
                pixels(images), 2))).isLessThan(TOLERANCE);
    }

    @Test
    void aRegressionWithAYRangeHasSigmoidRangeInTheGraphAndGivesThePredictorsValues() throws Exception {
        // one range per output (scale in 0.2..0.9, angle in -30..30), and one range for both
        Path perColumn = model(dir.resolve("ranged.kodiak"), Architectures.RESNET18, Manifest.REGRESSION,
                List.of("scale", "angle"), 4, 1f, HEIGHT, WIDTH, List.of(0.2, 0.9, -30.0, 30.0));
        Path shared = model(dir.resolve("ranged-shared.kodiak"), Architectures.RESNET18, Manifest.REGRESSION,
                List.of("scale", "angle"), 5, 1f, HEIGHT, WIDTH, List.of(10.0, 20.0));
        List<RgbImage> images = images(3, 33);
        for (Path model : List.of(perColumn, shared)) {
            byte[] onnx = OnnxExport.toBytes(model, OnnxOptions.defaults());
            float[][] expected = predicted(model, images);
            float[][] actual = runFloat(onnx, images, Normalize.imagenet());
            report(model.getFileName() + ", float input, batch 3", expected, actual);
            assertThat(maxAbsDiff(expected, actual)).isLessThan(TOLERANCE);
            try (OrtSession session = ort.createSession(onnx, new OrtSession.SessionOptions())) {
                assertThat(session.getMetadata().getCustomMetadata()).containsEntry("kodiak.output", "sigmoid_range");
            }
        }
        float[][] ranged = predicted(perColumn, images);
        for (float[] row : ranged) {
            assertThat(row[0]).isBetween(0.2f, 0.9f);
            assertThat(row[1]).isBetween(-30f, 30f);
        }
        assertThat(Stream.of(ranged).mapToDouble(r -> Math.abs(r[1])).max().orElseThrow())
                .as("the angle column uses its own span").isGreaterThan(1.0);
        for (float[] row : predicted(shared, images)) {
            for (float v : row) {
                assertThat(v).isBetween(10f, 20f);
            }
        }
        assertThat(OnnxExport.export(perColumn, dir.resolve("ranged.onnx"), OnnxOptions.defaults()).activation())
                .isEqualTo("sigmoid_range");
    }

    @Test
    void theGraphHasADynamicBatchNoBatchNormTheDefaultVersionsAndTheModelsMetadata() throws Exception {
        byte[] onnx = OnnxExport.toBytes(multiLabel, OnnxOptions.defaults());
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(onnx);
        assertThat(model.getIrVersion()).isEqualTo(8);
        assertThat(model.getOpsetImportList()).singleElement().satisfies(o -> {
            assertThat(o.getDomain()).isEmpty();
            assertThat(o.getVersion()).isEqualTo(17);
        });
        assertThat(model.getGraph().getNodeList()).extracting(OnnxMl.NodeProto::getOpType)
                .doesNotContain("BatchNormalization").contains("Conv", "GlobalMaxPool", "Gemm", "Sigmoid");
        try (OrtSession session = ort.createSession(onnx, new OrtSession.SessionOptions())) {
            NodeInfo in = session.getInputInfo().get(OnnxExport.FLOAT_INPUT);
            assertThat(((TensorInfo) in.getInfo()).getShape()).containsExactly(-1, 3, HEIGHT, WIDTH);
            assertThat(((TensorInfo) session.getOutputInfo().get(OnnxExport.OUTPUT).getInfo()).getShape())
                    .containsExactly(-1, 4);
            Map<String, String> meta = session.getMetadata().getCustomMetadata();
            assertThat(meta).containsEntry("kodiak.labels", "[\"sky\",\"sea\",\"tree\",\"car\"]")
                    .containsEntry("kodiak.task", "multi-label")
                    .containsEntry("kodiak.output", "sigmoid")
                    .containsEntry("kodiak.threshold", "0.5")
                    .containsEntry("kodiak.architecture", "resnet18")
                    .containsEntry("kodiak.input_size", "[40,56]")
                    .containsEntry("kodiak.mean", "[0.485,0.456,0.406]")
                    .containsEntry("kodiak.std", "[0.229,0.224,0.225]");
            assertThat(meta.get("kodiak.item_transforms")).contains("\"height\":40").contains("\"width\":56");
            assertThat(session.getMetadata().getProducerName()).isEqualTo("Kodiak");
        }
    }

    @Test
    void anOlderOpsetGetsItsIrVersionAndRunsTheSame() throws Exception {
        byte[] onnx = OnnxExport.toBytes(regression, OnnxOptions.defaults().opset(13));
        assertThat(OnnxMl.ModelProto.parseFrom(onnx).getIrVersion()).isEqualTo(7);
        List<RgbImage> images = images(1, 40);
        assertThat(maxAbsDiff(predicted(regression, images), runFloat(onnx, images, Normalize.imagenet())))
                .isLessThan(TOLERANCE);
        assertThatThrownBy(() -> OnnxOptions.defaults().opset(22)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("--opset must be between 13 and 21, got 22");
    }

    @Test
    void exportWritesTheFileAtomicallyAndLeavesNothingBehindOnFailure() throws IOException {
        Path out = dir.resolve("atomic/single.onnx");
        Path stale = Files.createDirectories(out.getParent()).resolve(".single.onnx4711.tmp"); // a killed export's
        Files.writeString(stale, "half a graph");
        OnnxExport.Summary s = OnnxExport.export(singleLabel, out, OnnxOptions.defaults());
        assertThat(stale).as("a killed export's temporary file is cleaned up").doesNotExist();
        assertThat(s.file()).isEqualTo(out.toAbsolutePath());
        assertThat(s.bytes()).isEqualTo(Files.size(out)).isGreaterThan(40_000_000L); // ResNet-18's weights, as float32
        assertThat(s.inputShape()).containsExactly("N", 3, HEIGHT, WIDTH);
        assertThat(s.activation()).isEqualTo("softmax");
        byte[] before = Files.readAllBytes(out);

        Path tampered = tamper(singleLabel, dir.resolve("tampered.kodiak"));
        assertThatThrownBy(() -> OnnxExport.export(tampered, out, OnnxOptions.defaults()))
                .isInstanceOf(KodiakException.class).hasMessageContaining("model file " + tampered)
                .hasMessageContaining("export it again");
        assertThat(Files.readAllBytes(out)).as("the old file is untouched").isEqualTo(before);
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertThat(files).containsExactly(out);
        }
    }

    @Test
    void badInputsAreRefusedWithMessagesThatSayWhatToDo() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.kodiak"), "not a model");
        assertThatThrownBy(() -> OnnxExport.export(text, dir.resolve("x.onnx"), OnnxOptions.defaults()))
                .isInstanceOf(KodiakException.class).hasMessageContaining("is not a Kodiak model");
        assertThatThrownBy(() -> OnnxExport.export(dir.resolve("missing.kodiak"), dir.resolve("x.onnx"),
                OnnxOptions.defaults())).hasMessageContaining("does not exist");
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
        assertThatThrownBy(() -> OnnxExport.export(singleLabel, blocker.resolve("m.onnx"), OnnxOptions.defaults()))
                .isInstanceOf(KodiakException.class)
                .hasMessageContaining("cannot write ONNX file " + blocker.resolve("m.onnx"))
                .hasMessageContaining("choose another --out");
        assertThatThrownBy(() -> OnnxExport.export(singleLabel, singleLabel, OnnxOptions.defaults()))
                .hasMessageContaining("is the model file itself");
        assertThatThrownBy(() -> OnnxExport.export(singleLabel, dir, OnnxOptions.defaults()))
                .hasMessageContaining("is a folder");
        assertThat(dir.resolve("x.onnx")).doesNotExist();
    }

    @Test
    void debiansOnnxCheckerAcceptsBothGraphs() throws Exception {
        Peers.assume(PythonTorch.imports("onnx"), "onnx for interop tests (" + PythonTorch.PYTHON
                + " cannot import onnx)", "apt-get install python3-onnx");
        Path plain = OnnxExport.export(singleLabel, dir.resolve("check/plain.onnx"), OnnxOptions.defaults()).file();
        Path pixels = OnnxExport.export(multiLabel, dir.resolve("check/pixels.onnx"),
                OnnxOptions.defaults().withPreprocessing(true)).file();
        String out = PythonTorch.run(dir.resolve("check"), """
                import sys, onnx
                for path in sys.argv[1:]:
                    model = onnx.load(path)
                    onnx.checker.check_model(model, full_check=True)
                    print(path, model.ir_version, model.opset_import[0].version, "ok")
                """, plain.toString(), pixels.toString());
        assertThat(out).contains(plain + " 8 17 ok").contains(pixels + " 8 17 ok");
    }

    @Test
    void debiansOnnxCheckerAcceptsTheConvNeXtAndVisionTransformerGraphs() throws Exception {
        Peers.assume(PythonTorch.imports("onnx"), "onnx for interop tests (" + PythonTorch.PYTHON
                + " cannot import onnx)", "apt-get install python3-onnx");
        Path convnext = OnnxExport.export(convNeXtModel(), dir.resolve("check/convnext.onnx"),
                OnnxOptions.defaults().withPreprocessing(true)).file();
        Path vit = OnnxExport.export(visionTransformerModel(), dir.resolve("check/vit.onnx"), OnnxOptions.defaults())
                .file();
        String out = PythonTorch.run(dir.resolve("check"), """
                import sys, onnx
                for path in sys.argv[1:]:
                    onnx.checker.check_model(path, full_check=True)
                    print(path, "ok")
                """, convnext.toString(), vit.toString());
        assertThat(out).contains(convnext + " ok").contains(vit + " ok");
    }

    // A convnext_tiny model file at 40x56 px, its layer scales and norms drawn at random; written once per run.
    private static synchronized Path convNeXtModel() {
        Path file = dir.resolve("convnext.kodiak");
        return Files.exists(file) ? file
                : model(file, Architectures.CONVNEXT_TINY, Manifest.SINGLE_LABEL, List.of("a", "b", "c"), 6, 1f);
    }

    // A vit_b_16 model file at 64x96 px (4x6 patches: its 14x14 position embeddings resampled), its norms drawn at
    // random; written once per run.
    private static final int VIT_HEIGHT = 64;
    private static final int VIT_WIDTH = 96;

    private static synchronized Path visionTransformerModel() {
        Path file = dir.resolve("vit.kodiak");
        return Files.exists(file) ? file : model(file, Architectures.VIT_B_16, Manifest.SINGLE_LABEL,
                List.of("a", "b", "c"), 8, 1f, VIT_HEIGHT, VIT_WIDTH);
    }

    // A ResNet-18 model file with BatchNorm statistics and affine parameters drawn at random (seeded).
    static Path model(Path file, String task, List<String> labels, long seed) {
        return model(file, Architectures.RESNET18, task, labels, seed, 1f);
    }

    static Path model(Path file, Architecture arch, String task, List<String> labels, long seed, float lastScale) {
        return model(file, arch, task, labels, seed, lastScale, HEIGHT, WIDTH, null);
    }

    static Path model(Path file, Architecture arch, String task, List<String> labels, long seed, float lastScale,
            int height, int width) {
        return model(file, arch, task, labels, seed, lastScale, height, width, null);
    }

    static Path model(Path file, Architecture arch, String task, List<String> labels, long seed, float lastScale,
            int height, int width, List<Double> yRange) {
        Engine.seed(seed); // the same convolution weights every run
        VisionModel net = arch.newVisionModel(labels.size());
        StateDict weights;
        try {
            weights = perturbed(net.stateDict(), new Random(seed), lastScale);
        } finally {
            net.release();
        }
        return write(file, arch, task, labels, weights, height, width, yRange);
    }

    private static Path write(Path file, Architecture arch, String task, List<String> labels, StateDict weights,
            int height, int width, List<Double> yRange) {
        return write(file, arch, task, labels, weights, height, width, yRange,
                new Manifest.Head("fastai", 2 * arch.bodyFeatures(), VisionModel.HEAD_HIDDEN, labels.size()));
    }

    private static Path write(Path file, Architecture arch, String task, List<String> labels, StateDict weights,
            int height, int width, List<Double> yRange, Manifest.Head head) {
        List<ItemTransformSpec> items = TransformSpecs.toSpecs(List.of(Resize.to(height, width)));
        Manifest manifest = Manifest.of("test", "2026-12-07T00:00:00Z",
                new Manifest.Model(arch.name(), head),
                Manifest.Input.image(List.of(height, width), items,
                        new Manifest.Normalization(List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225))),
                new Manifest.Output(task, labels, Manifest.REGRESSION.equals(task) ? "mse" : "cross_entropy",
                        Manifest.MULTI_LABEL.equals(task) ? 0.5 : null, null, yRange),
                null);
        ModelFile.write(file, manifest, weights);
        return file;
    }

    /**
     * A regression model of {@code arch} whose BatchNorm running statistics are those of its own activations (a few
     * training-mode passes on random colour ramps like {@link #gradients}, averaged), with the affine parameters drawn at random. Random statistics
     * are fine for a ResNet, but they wash the image out of the mobile families: torchvision's fan-out initialisation
     * makes depthwise kernels ~√channels too small, and an eval-mode BatchNorm with unrelated statistics never scales
     * the signal back, so their outputs would not depend on the image at all.
     */
    static Path calibratedModel(Path file, Architecture arch, List<String> labels, long seed) {
        Engine.seed(seed);
        VisionModel net = arch.newVisionModel(labels.size());
        StateDict weights;
        try {
            net.load(imageKeeping(net.stateDict()), "test");
            net.train(true);
            try (StepScope scope = StepScope.open(); GradMode g = Engine.noGrad()) {
                net.forward(NativeTensors.wrap(Tensors.fromFloats(ramps(new Random(seed), 8), 8, 3, HEIGHT, WIDTH)));
            }
            net.eval();
            // one pass moved each running statistic from its start (mean 0, variance 1) by `momentum` towards the
            // batch's: solved back for the batch's own (torchvision's momentum: 0.01 for MobileNetV3, else 0.1)
            double momentum = arch.name().startsWith("mobilenet") ? 0.01 : 0.1;
            weights = affinePerturbed(net.stateDict(), new Random(seed), momentum);
        } finally {
            net.release();
        }
        return write(file, arch, Manifest.REGRESSION, labels, weights, HEIGHT, WIDTH, null);
    }

    // As initialised, the image fades out of these bodies (fan-out init makes depthwise kernels ~√channels too small,
    // half-closed squeeze-and-excitation gates halve what is left): depthwise kernels scaled by √channels and the
    // gates' biases set to 3 (sigmoid ~0.95) keep it in, as the models module's TorchvisionInterop does.
    private static StateDict imageKeeping(StateDict weights) {
        List<TensorData> out = new ArrayList<>();
        for (TensorData t : weights.tensors()) {
            long[] shape = t.shape();
            if (shape.length == 4 && shape[1] == 1 && shape[2] > 1) {
                float[] v = t.toFloats();
                float scale = (float) Math.sqrt(shape[0]);
                for (int i = 0; i < v.length; i++) {
                    v[i] *= scale;
                }
                out.add(TensorData.ofFloats(t.name(), v, shape));
            } else if (t.name().endsWith(".fc2.bias") && t.name().startsWith("body.")) {
                float[] v = new float[(int) t.numel()];
                java.util.Arrays.fill(v, 3f);
                out.add(TensorData.ofFloats(t.name(), v, shape));
            } else {
                out.add(t);
            }
        }
        return StateDict.of(out);
    }

    // n normalized images [3, H, W]: per channel a·x + b·y + c with a, b, c uniform in (-2, 2).
    private static float[] ramps(Random rng, int n) {
        float[] v = new float[n * 3 * HEIGHT * WIDTH];
        for (int i = 0; i < n * 3; i++) {
            float a = 4 * rng.nextFloat() - 2;
            float b = 4 * rng.nextFloat() - 2;
            float c = 4 * rng.nextFloat() - 2;
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    v[(i * HEIGHT + y) * WIDTH + x] = a * x / WIDTH + b * y / HEIGHT + c;
                }
            }
        }
        return v;
    }

    // BatchNorm weights and biases drawn at random, running means kept, running variances of at least 0.05: a channel
    // that barely varies on random images would otherwise be scaled up ~300x, and float rounding with it.
    private static StateDict affinePerturbed(StateDict weights, Random rng, double momentum) {
        List<TensorData> out = new ArrayList<>();
        for (TensorData t : weights.tensors()) {
            if (t.name().startsWith("body.") && t.name().contains("running_")) {
                boolean var = t.name().endsWith("running_var");
                float[] v = t.toFloats();
                for (int i = 0; i < v.length; i++) {
                    double batch = (v[i] - (var ? 1 - momentum : 0)) / momentum;
                    v[i] = (float) (var ? Math.max(batch, 0.05) : batch);
                }
                out.add(TensorData.ofFloats(t.name(), v, t.shape()));
                continue;
            }
            boolean affine = t.shape().length == 1 && t.dtype() == DType.F32 && !t.name().contains("running_");
            if (!affine) {
                out.add(t);
                continue;
            }
            float[] v = t.toFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] = t.name().endsWith("bias") ? (float) (rng.nextGaussian() * 0.2) : 0.6f + rng.nextFloat() * 0.8f;
            }
            out.add(TensorData.ofFloats(t.name(), v, t.shape()));
        }
        return StateDict.of(out);
    }

    private static StateDict perturbed(StateDict weights, Random rng, float lastScale) {
        List<TensorData> out = new ArrayList<>();
        for (TensorData t : weights.tensors()) {
            if (t.name().equals("head.fc2.weight")) {
                float[] w = t.toFloats();
                for (int i = 0; i < w.length; i++) {
                    w[i] *= lastScale;
                }
                out.add(TensorData.ofFloats(t.name(), w, t.shape()));
                continue;
            }
            if (t.name().endsWith("layer_scale")) { // ConvNeXt's blocks start almost silent (1e-6): wake them up
                float[] v = t.toFloats();
                for (int i = 0; i < v.length; i++) {
                    v[i] = 0.2f + rng.nextFloat() * 0.4f;
                }
                out.add(TensorData.ofFloats(t.name(), v, t.shape()));
                continue;
            }
            boolean norm = t.shape().length == 1 && t.dtype() == DType.F32;
            if (!norm) {
                out.add(t);
                continue;
            }
            float[] v = t.toFloats();
            for (int i = 0; i < v.length; i++) {
                if (t.name().endsWith("running_var")) {
                    v[i] = 0.5f + rng.nextFloat() * 1.5f;
                } else if (t.name().endsWith("running_mean") || t.name().endsWith("bias")) {
                    v[i] = (float) (rng.nextGaussian() * 0.2);
                } else {
                    v[i] = 0.6f + rng.nextFloat() * 0.8f;
                }
            }
            out.add(TensorData.ofFloats(t.name(), v, t.shape()));
        }
        return StateDict.of(out);
    }

    // The same file with one byte of its weights changed (the manifest's SHA-256 then disagrees).
    private static Path tamper(Path model, Path copy) throws IOException {
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 0x55; // stored (uncompressed) weights fill the middle of the zip
        return Files.write(copy, bytes);
    }

    // Image i: a colour ramp whose direction and hues change with i.
    static List<RgbImage> gradients(int n) {
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[HEIGHT * WIDTH * 3];
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    int p = (y * WIDTH + x) * 3;
                    px[p] = (byte) (i % 2 == 0 ? 4 * x : 255 - 5 * y);
                    px[p + 1] = (byte) (60 * i + 3 * y);
                    px[p + 2] = (byte) (200 - 2 * x - 40 * i);
                }
            }
            images.add(new RgbImage(WIDTH, HEIGHT, px));
        }
        return images;
    }

    static List<RgbImage> images(int n, long seed) {
        return images(n, seed, HEIGHT, WIDTH);
    }

    static List<RgbImage> images(int n, long seed, int height, int width) {
        Random rng = new Random(seed);
        List<RgbImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] px = new byte[height * width * 3];
            rng.nextBytes(px);
            images.add(new RgbImage(width, height, px));
        }
        return images;
    }

    // What Kodiak's predictor answers (BatchNorm folded by libtorch, channels-last: its defaults), label order.
    static float[][] predicted(Path model, List<RgbImage> images) {
        try (Predictor p = Predictor.load(model)) {
            List<Prediction> predictions = p.predictBatch(images);
            float[][] out = new float[images.size()][];
            for (int i = 0; i < out.length; i++) {
                Map<String, Double> byLabel = Manifest.REGRESSION.equals(p.task())
                        ? predictions.get(i).values() : predictions.get(i).probabilities();
                out[i] = new float[p.labels().size()];
                for (int j = 0; j < out[i].length; j++) {
                    out[i][j] = byLabel.get(p.labels().get(j)).floatValue();
                }
            }
            return out;
        }
    }

    static float[][] runFloat(byte[] onnx, List<RgbImage> images, Normalize norm) throws OrtException {
        float[] mean = norm.mean();
        float[] std = norm.std();
        int n = images.size();
        int h = images.get(0).height();
        int w = images.get(0).width();
        float[] x = new float[n * 3 * h * w];
        for (int i = 0; i < n; i++) {
            byte[] px = images.get(i).pixels();
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < h * w; p++) {
                    x[((i * 3 + c) * h * w) + p] = ((px[p * 3 + c] & 0xFF) / 255f - mean[c]) / std[c];
                }
            }
        }
        try (OrtSession session = ort.createSession(onnx, options());
             OnnxTensor t = OnnxTensor.createTensor(ort, FloatBuffer.wrap(x), new long[] {n, 3, h, w});
             OrtSession.Result r = session.run(Map.of(OnnxExport.FLOAT_INPUT, t))) {
            return (float[][]) r.get(0).getValue();
        }
    }

    private static float[][] run(byte[] onnx, String input, ByteBuffer pixels, int n) throws OrtException {
        try (OrtSession session = ort.createSession(onnx, options());
             OnnxTensor t = OnnxTensor.createTensor(ort, pixels, new long[] {n, HEIGHT, WIDTH, 3}, OnnxJavaType.UINT8);
             OrtSession.Result r = session.run(Map.of(input, t))) {
            return (float[][]) r.get(0).getValue();
        }
    }

    private static OrtSession.SessionOptions options() throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(2);
        return o;
    }

    static ByteBuffer pixels(List<RgbImage> images) {
        ByteBuffer b = ByteBuffer.allocateDirect(images.size() * HEIGHT * WIDTH * 3);
        for (RgbImage img : images) {
            b.put(img.pixels());
        }
        return b.flip();
    }

    static double maxAbsDiff(float[][] a, float[][] b) {
        assertThat(b.length).isEqualTo(a.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).hasSameSizeAs(a[i]);
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }

    static void report(String what, float[][] expected, float[][] actual) {
        System.out.printf("ONNX vs Predictor, %s: max |diff| %.3g, first row %s vs %s%n", what,
                maxAbsDiff(expected, actual), java.util.Arrays.toString(expected[0]),
                java.util.Arrays.toString(actual[0]));
    }
}
