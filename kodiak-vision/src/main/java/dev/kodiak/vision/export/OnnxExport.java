package dev.kodiak.vision.export;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.io.AtomicFiles;
import dev.kodiak.io.StateDict;
import dev.kodiak.learn.SigmoidRange;
import dev.kodiak.learn.Task;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.models.Architecture;
import dev.kodiak.models.Heads;
import dev.kodiak.models.VisionModel;
import dev.kodiak.vision.predict.ManifestCheck;
import dev.kodiak.vision.transforms.Normalize;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@code .kodiak} model as an ONNX graph for ONNX Runtime and other ONNX readers:
 * <pre>{@code
 * OnnxExport.export(Path.of("bears.kodiak"), Path.of("bears.onnx"), OnnxOptions.defaults());
 * }</pre>
 * The graph takes a batch of any size. Its input is {@code input}, normalized {@code float32 [N, 3, H, W]}, or
 * with {@link OnnxOptions#withPreprocessing()} {@code image}, {@code uint8 [N, H, W, 3]} RGB pixels already brought
 * to the model's input size (the graph casts, transposes and normalizes them). Its output {@code output} is
 * {@code float32 [N, labels]} in the model's label order after the activation Kodiak's {@code Predictor} applies:
 * softmax for a single-label model, sigmoid for multi-label, none for regression, or with the model's y-range fastai's
 * {@code sigmoid_range} ({@code lo + (hi - lo) * sigmoid(x)}, per output). Every BatchNorm is folded away.
 * The labels, task, threshold, input size, item transforms and normalization travel as metadata properties
 * ({@code kodiak.*}). The model file is checked as {@code Predictor.load} checks it; the ONNX file is written
 * atomically (a reader never sees half of it).
 */
public final class OnnxExport {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** The name of the graph's normalized float input. */
    public static final String FLOAT_INPUT = "input";
    /** The name of the graph's uint8 pixel input (with the preprocessing in the graph). */
    public static final String PIXEL_INPUT = "image";
    /** The name of the graph's output. */
    public static final String OUTPUT = "output";
    /** The name of the batch dimension. */
    public static final String BATCH = "N";

    private static final List<BodyGraph> BODIES = List.of(new ResNetBodyGraph(), new ConvNeXtBodyGraph(),
            new VisionTransformerBodyGraph(), new EfficientNetBodyGraph(), new MobileNetV3BodyGraph(),
            new RegNetBodyGraph());
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExport() {
    }

    /**
     * What an export wrote.
     *
     * @param file       the ONNX file
     * @param bytes      its size
     * @param opset      the operator set
     * @param irVersion  the IR version
     * @param input      the input's name ({@link #FLOAT_INPUT} or {@link #PIXEL_INPUT})
     * @param inputType  {@code float32} or {@code uint8}
     * @param inputShape the input's shape, {@link #BATCH} first
     * @param activation {@code softmax}, {@code sigmoid}, {@code sigmoid_range} or {@code none}
     * @param labels     the output's columns, in order
     */
    public record Summary(Path file, long bytes, int opset, long irVersion, String input, String inputType,
                          List<Object> inputShape, String activation, List<String> labels) {
        public Summary {
            inputShape = List.copyOf(inputShape);
            labels = List.copyOf(labels);
        }
    }

    /** Checks {@code modelFile}, builds its graph and writes it to {@code out} atomically. */
    public static Summary export(Path modelFile, Path out, OnnxOptions options) {
        Path target = out.toAbsolutePath().normalize();
        if (target.equals(modelFile.toAbsolutePath().normalize())) {
            throw new KodiakException("--out " + out + " is the model file itself: choose another file for the ONNX"
                    + " graph");
        }
        if (Files.isDirectory(target)) {
            throw new KodiakException("--out " + out + " is a folder: name the ONNX file to write, e.g. "
                    + out.resolve("model.onnx"));
        }
        Built built = build(modelFile, options);
        byte[] bytes = built.model().toByteArray();
        write(bytes, target, out);
        return new Summary(target, bytes.length, options.opset(), options.irVersion(), built.input(),
                options.withPreprocessing() ? "uint8" : "float32", built.inputShape(), built.activation(),
                built.labels());
    }

    /** The ONNX model of {@code modelFile}, serialized, without writing a file. */
    public static byte[] toBytes(Path modelFile, OnnxOptions options) {
        return build(modelFile, options).model().toByteArray();
    }

    private record Built(OnnxMl.ModelProto model, String input, List<Object> inputShape, String activation,
                         List<String> labels) {
    }

    private static Built build(Path file, OnnxOptions options) {
        Manifest manifest = ModelFile.readManifest(file);
        ManifestCheck check = new ManifestCheck(file, manifest);
        String task = check.task();
        check.itemTransforms();
        int[] size = check.inputSize();
        Normalize normalize = check.normalize();
        Architecture arch = check.architecture();
        String headType = manifest.model().head() == null ? Heads.FASTAI : manifest.model().head().type();
        if (!Heads.FASTAI.equals(headType) && !Heads.LINEAR.equals(headType)) {
            throw new KodiakException("model file " + file + ": it has the custom head '" + headType
                    + "', and ONNX export knows only the layers of Kodiak's own heads: the fastai head and the linear head");
        }
        List<String> labels = check.labels(arch);
        double threshold = check.threshold(task);
        SigmoidRange range = Task.of(manifest.output()) instanceof Task.Regression r ? r.sigmoidRange() : null;
        BodyGraph body = BODIES.stream().filter(b -> b.builds(arch.name())).findFirst().orElseThrow(() ->
                new KodiakException("model file " + file + ": exporting a " + arch.name() + " to ONNX is not"
                        + " supported yet (Kodiak exports ResNet, ConvNeXt, ViT, EfficientNet, MobileNetV3 and RegNetY bodies)"));
        if (options.opset() < body.minOpset()) {
            throw new KodiakException("model file " + file + ": a " + arch.name() + " needs --opset " + body.minOpset()
                    + " or later (its layers use newer ONNX operators), got " + options.opset());
        }
        StateDict weights;
        // the shapes the weights must have
        VisionModel reference = VisionModel.create(arch, labels.size(), Heads.byName(headType));
        try {
            weights = check.checkedWeights(reference, labels.size(), "export again");
        } finally {
            reference.release();
        }

        OnnxGraph g = new OnnxGraph(arch.name() + "-" + labels.size());
        String input = options.withPreprocessing() ? PIXEL_INPUT : FLOAT_INPUT;
        List<Object> inputShape = options.withPreprocessing() ? List.of(BATCH, size[0], size[1], 3)
                : List.of(BATCH, 3, size[0], size[1]);
        g.proto().addInput(tensorInfo(input, options.withPreprocessing() ? OnnxMl.TensorProto.DataType.UINT8
                : OnnxMl.TensorProto.DataType.FLOAT, inputShape));
        String x = options.withPreprocessing() ? normalizePixels(g, input, normalize) : input;
        String features = body.features(g, x, size[0], size[1], weights.withoutPrefix("body."));
        String logits = Heads.LINEAR.equals(headType) ? LinearHeadGraph.logits(g, features, weights.withoutPrefix("head."))
                : FastaiHeadGraph.logits(g, features, weights.withoutPrefix("head."));
        String activation = switch (task) {
            case Manifest.SINGLE_LABEL -> "softmax";
            case Manifest.MULTI_LABEL -> "sigmoid";
            default -> range != null ? "sigmoid_range" : "none";
        };
        String output = switch (activation) {
            case "softmax" -> g.node("Softmax", OUTPUT, new String[] {logits}, OnnxGraph.integer("axis", 1));
            case "sigmoid" -> g.node("Sigmoid", OUTPUT, new String[] {logits});
            case "sigmoid_range" -> sigmoidRange(g, logits, range);
            default -> g.node("Identity", OUTPUT, new String[] {logits});
        };
        g.proto().addOutput(tensorInfo(output, OnnxMl.TensorProto.DataType.FLOAT, List.of(BATCH, labels.size())));

        OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
                .setIrVersion(options.irVersion())
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(options.opset()))
                .setProducerName("Kodiak")
                .setProducerVersion(version())
                .setDocString("Kodiak " + arch.name() + " " + task.replace('_', '-') + " model exported from "
                        + file.getFileName() + ": " + (options.withPreprocessing()
                        ? "uint8 RGB pixels [N, H, W, 3] at the model's input size" : "normalized float32 [N, 3, H, W]")
                        + " in, " + activation + " over " + labels.size() + " labels out")
                .setGraph(g.proto());
        Map<String, String> meta = metadata(manifest, task, labels, threshold, size, normalize, activation,
                options.withPreprocessing());
        meta.forEach((k, v) -> model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return new Built(model.build(), input, inputShape, activation, labels);
    }

    // fastai's sigmoid_range, as Kodiak's decoder applies it: lo + (hi - lo) * sigmoid(x), per output column.
    private static String sigmoidRange(OnnxGraph g, String logits, SigmoidRange range) {
        float[] spans = range.spans();
        float[] lows = range.lows();
        String x = g.node("Sigmoid", "sigmoid_range.sigmoid", new String[] {logits});
        x = g.node("Mul", "sigmoid_range.scale", new String[] {x, g.constant("sigmoid_range.span", spans, 1,
                spans.length)});
        return g.node("Add", OUTPUT, new String[] {x, g.constant("sigmoid_range.lo", lows, 1, lows.length)});
    }

    // As Predictor.load: the weights entry held to exactly what the manifest's network takes, then every name, shape
    // and type checked against it.
    // uint8 [N, H, W, 3] -> float [N, 3, H, W], then (x / 255 - mean) / std: the operations Predictor runs, in order.
    private static String normalizePixels(OnnxGraph g, String pixels, Normalize normalize) {
        String x = g.node("Cast", "preprocess.cast", new String[] {pixels},
                OnnxGraph.integer("to", OnnxMl.TensorProto.DataType.FLOAT_VALUE));
        x = g.node("Transpose", "preprocess.nchw", new String[] {x}, OnnxGraph.ints("perm", 0, 3, 1, 2));
        x = g.node("Div", "preprocess.scale", new String[] {x, g.constant("preprocess.255", new float[] {255f})});
        x = g.node("Sub", "preprocess.center", new String[] {x,
                g.constant("preprocess.mean", normalize.mean(), 1, 3, 1, 1)});
        return g.node("Div", "preprocess.normalize", new String[] {x,
                g.constant("preprocess.std", normalize.std(), 1, 3, 1, 1)});
    }

    private static Map<String, String> metadata(Manifest m, String task, List<String> labels, double threshold,
            int[] size, Normalize normalize, String activation, boolean withPreprocessing) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kodiak.architecture", m.model().architecture());
        meta.put("kodiak.task", task);
        meta.put("kodiak.labels", json(labels));
        if (!Double.isNaN(threshold)) {
            meta.put("kodiak.threshold", Double.toString(threshold));
        }
        meta.put("kodiak.output", activation);
        if (m.output().yRange() != null) {
            meta.put("kodiak.y_range", json(m.output().yRange()));
        }
        meta.put("kodiak.input", withPreprocessing ? "uint8 RGB pixels [N, H, W, 3], 0-255"
                : "float32 [N, 3, H, W], RGB scaled to 0-1, then (x - mean) / std per channel");
        meta.put("kodiak.input_size", json(List.of(size[0], size[1])));
        meta.put("kodiak.mean", json(floats(normalize.mean())));
        meta.put("kodiak.std", json(floats(normalize.std())));
        meta.put("kodiak.item_transforms", json(m.input().itemTransforms()));
        if (m.weights() != null && m.weights().sha256() != null) {
            meta.put("kodiak.weights_sha256", m.weights().sha256());
        }
        return meta;
    }

    private static OnnxMl.ValueInfoProto tensorInfo(String name, OnnxMl.TensorProto.DataType type, List<Object> dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else {
                dim.setDimParam(d.toString());
            }
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
                .build();
    }

    private static void write(byte[] bytes, Path target, Path asGiven) {
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            AtomicFiles.deleteStaleTemps(target); // what an export killed before its move left behind
            tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            Files.write(tmp, bytes);
            AtomicFiles.move(tmp, target);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw new KodiakException("cannot write ONNX file " + asGiven + ": " + reason(e)
                    + "; choose another --out", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists and is not a folder";
        }
        if (e instanceof AccessDeniedException a) {
            return "permission denied on " + a.getFile();
        }
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + " does not exist";
        }
        return e.getMessage();
    }

    private static List<Double> floats(float[] values) {
        List<Double> out = new ArrayList<>();
        for (float v : values) {
            out.add(Double.parseDouble(Float.toString(v)));
        }
        return out;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    private static String version() {
        String v = OnnxExport.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
