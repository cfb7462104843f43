package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.data.InputKind;
import dev.kodiak.data.InputKinds;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.predict.FilePrediction;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.predict.PredictorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kodiak predict MODEL IMAGE|DIR...}: one line per image with the model's answer. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict images with a trained .kodiak model: one line per image (file, label, probability).",
                "Folders are searched recursively for images. An image that cannot be read is reported on its own "
                        + "line and the others are still predicted; the exit code is then 1."})
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .kodiak model file.")
    Path model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE|DIR", description = "Images, or folders of images.")
    List<Path> inputs;

    @Option(names = "--bs", defaultValue = "" + PredictorOptions.DEFAULT_MAX_BATCH,
            description = "Images per forward pass (default: ${DEFAULT-VALUE}, as PredictorOptions.defaults()).")
    int bs;

    @Mixin
    JsonOption json;

    @Mixin
    PrecisionOption precision;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (bs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bs must be at least 1, got " + bs);
        }
        Output o = new Output(spec, json.on);
        List<Path> files = expand(inputs, InputKinds.byName(ModelFile.readManifest(model).input().kind()));
        int failed = 0;
        try (Predictor predictor = Predictor.load(model, PredictorOptions.defaults().maxBatch(bs).bf16(precision.choose(o).bf16()))) {
            for (int start = 0; start < files.size(); start += bs) {
                List<Path> chunk = files.subList(start, Math.min(files.size(), start + bs));
                for (FilePrediction r : predictor.predictEach(chunk)) {
                    String file = r.file().toString();
                    if (r.failed()) {
                        failed++;
                        Map<String, Object> line = new LinkedHashMap<>();
                        line.put("file", file);
                        line.put("error", r.error());
                        if (json.on) {
                            o.object(line);
                        } else {
                            o.say("%s  ERROR  %s", file, r.error());
                        }
                    } else if (json.on) {
                        o.object(r.prediction().toJson(file));
                    } else {
                        o.say("%s  %s", file, human(r.prediction()));
                    }
                }
            }
        }
        if (failed > 0) {
            o.warn("%d of %d images could not be read (see the ERROR lines)", failed, files.size());
        }
        return failed > 0 ? 1 : 0;
    }

    /** {@code label  0.973}; multi-label {@code a,b  0.91,0.64}; regression {@code x=1.5  y=2}. */
    static String human(Prediction p) {
        return switch (p.task()) {
            case Manifest.SINGLE_LABEL -> String.format(java.util.Locale.ROOT, "%s  %.3f", p.label(), p.probability());
            case Manifest.MULTI_LABEL -> (p.labels().isEmpty() ? "-" : String.join(",", p.labels())) + "  "
                    + String.join(",", p.labels().stream().map(l -> String.format(java.util.Locale.ROOT, "%.3f",
                    p.probabilities().get(l))).toList());
            default -> String.join("  ", p.values().entrySet().stream()
                    .map(e -> String.format(java.util.Locale.ROOT, "%s=%.4g", e.getKey(), e.getValue())).toList());
        };
    }

    // folders are searched for the files the model's input kind reads (images, sound files)
    private static List<Path> expand(List<Path> inputs, InputKind kind) {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                List<Path> found = kind.find(in);
                if (found.isEmpty()) {
                    throw new KodiakException("no " + kind.name() + " files in folder " + in);
                }
                files.addAll(found);
            } else {
                files.add(in); // a missing or unreadable file becomes an error line, not a stop
            }
        }
        return files;
    }
}
