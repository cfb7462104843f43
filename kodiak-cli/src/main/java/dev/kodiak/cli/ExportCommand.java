package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.export.OnnxExport;
import dev.kodiak.vision.export.OnnxOptions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kodiak export MODEL --format onnx}: a trained model for another runtime. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained .kodiak model for another runtime: today an ONNX graph for ONNX Runtime"
                + " (Java, C#, C++, Python, JavaScript) and other ONNX readers.",
                "The graph takes a batch of any size: normalized float32 [N, 3, H, W] named 'input', or with"
                + " --with-preprocessing uint8 RGB pixels [N, H, W, 3] named 'image' at the model's input size"
                + " (resize or crop them first; the graph scales and normalizes). Its output 'output' is float32"
                + " [N, labels] in the model's label order: softmax probabilities (single-label), sigmoid"
                + " probabilities (multi-label) or values (regression), as `kodiak predict` gives them.",
                "BatchNorm is folded away; labels, task, threshold, input size, item transforms and normalization"
                + " travel as metadata (kodiak.*). The file is written atomically."})
final class ExportCommand implements Runnable {
    private static final int SHOWN_LABELS = 10;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The .kodiak model file.")
    Path model;

    @Option(names = "--format", defaultValue = "onnx", paramLabel = "FORMAT",
            description = "What to write: onnx (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "The file to write (default: MODEL with the extension .onnx).")
    Path out;

    @Option(names = "--opset", defaultValue = "" + OnnxOptions.DEFAULT_OPSET, paramLabel = "N",
            description = "ONNX operator set, " + OnnxOptions.MIN_OPSET + " to " + OnnxOptions.MAX_OPSET
                    + " (default: ${DEFAULT-VALUE}, IR version 8: what onnx 1.12 and ONNX Runtime 1.12+ read).")
    int opset;

    @Option(names = "--with-preprocessing",
            description = "Take uint8 RGB pixels [N, H, W, 3] and normalize inside the graph.")
    boolean withPreprocessing;

    @Option(names = "--json", description = "Print what was written as one JSON object on stdout (docs/cli-json.md).")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output o = new Output(spec, json);
        if (!"onnx".equals(format.toLowerCase(Locale.ROOT))) {
            throw new KodiakException("unknown export format '" + format + "': Kodiak exports onnx (--format onnx)");
        }
        OnnxOptions options = new OnnxOptions(opset, withPreprocessing);
        Path target = out != null ? out : defaultOut(model);
        OnnxExport.Summary s = OnnxExport.export(model, target, options);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("onnx", s.file().toString());
        line.put("bytes", s.bytes());
        line.put("opset", s.opset());
        line.put("ir_version", s.irVersion());
        line.put("input", Map.of("name", s.input(), "type", s.inputType(), "shape", s.inputShape()));
        line.put("output", Map.of("name", OnnxExport.OUTPUT, "shape", java.util.List.of(OnnxExport.BATCH,
                s.labels().size()), "activation", s.activation()));
        line.put("labels", s.labels());
        o.object(line);
        o.say("Wrote %s (%.1f MB, ONNX opset %d, IR version %d)", s.file(), s.bytes() / 1e6, s.opset(), s.irVersion());
        o.say("  input  '%s': %s %s%s", s.input(), s.inputType(), s.inputShape(), withPreprocessing
                ? " RGB pixels at the model's input size" : " normalized as the metadata's kodiak.mean/kodiak.std");
        java.util.List<String> shown = s.labels().subList(0, Math.min(SHOWN_LABELS, s.labels().size()));
        o.say("  output '%s': [N, %d] %s over %s%s", OnnxExport.OUTPUT, s.labels().size(), s.activation(),
                String.join(", ", shown), shown.size() < s.labels().size() ? ", ..." : "");
    }

    // bears.kodiak -> bears.onnx, beside it
    private static Path defaultOut(Path model) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".kodiak") ? name.substring(0, name.length() - ".kodiak".length()) : name;
        return model.resolveSibling(stem + ".onnx");
    }
}
