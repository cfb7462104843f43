package dev.kodiak.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.transforms.TransformSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kodiak info MODEL}: what a model file holds, in readable form. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show what a .kodiak model file holds: architecture, labels, preprocessing, provenance. "
                + "Also checks the file (format version, SHA-256 of the weights).")
final class InfoCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .kodiak model file.")
    Path model;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output o = new Output(spec, json.on);
        Manifest m = ModelFile.read(model).manifest(); // checks version, entries and the weights' SHA-256
        if (json.on) {
            o.object(new ObjectMapper().convertValue(m, Map.class));
            return;
        }
        o.say("Model:         %s (%s)", model, size(model));
        o.say("Format:        version %d, written by Kodiak %s at %s", m.formatVersion(), m.kodiakVersion(),
                m.createdAt());
        Manifest.Head h = m.head();
        o.say("Architecture:  %s + %s head (%d → %d → %d)", m.architecture(), h == null ? "?" : h.type(),
                h == null ? 0 : h.inputFeatures(), h == null ? 0 : h.hidden(), h == null ? 0 : h.outputs());
        o.say("Task:          %s, loss %s%s", m.task(), m.loss(),
                m.threshold() == null ? "" : String.format(Locale.ROOT, ", threshold %.2f", m.threshold()));
        o.say("Labels (%d):    %s", m.labels().size(), String.join(", ", m.labels()));
        String transforms;
        try {
            transforms = TransformSpecs.fromSpecs(m.itemTransforms()).stream().map(t -> t.describe())
                    .collect(Collectors.joining(", "));
        } catch (KodiakException e) {
            transforms = m.itemTransforms() + " (not readable by this Kodiak: " + e.getMessage() + ")";
        }
        o.say("Input:         %d channels, %s; item transforms: %s", m.inputChannels(),
                m.inputSize() == null ? "size from the transforms" : m.inputSize().get(0) + "x" + m.inputSize().get(1),
                transforms);
        if (m.normalization() != null) {
            o.say("Normalization: mean %s, std %s", rounded(m.normalization().mean()), rounded(m.normalization().std()));
        }
        Manifest.WeightsInfo w = m.weights();
        o.say("Weights:       %,d values in %d tensors; SHA-256 %s (verified)", w.numel(), w.tensors(), w.sha256());
        Manifest.Training t = m.training();
        if (t != null) {
            o.say("Training data: %s%s", t.dataRoot(), t.dataRoot() != null && Files.isDirectory(Path.of(t.dataRoot()))
                    ? "" : " (no longer there)");
            o.say("  fingerprint %s; labels from %s; split %s", t.dataFingerprint(), t.labelSpec(), split(t.split()));
            o.say("  %d validation and %d test files recorded", t.validFiles() == null ? 0 : t.validFiles().size(),
                    t.testFiles() == null ? 0 : t.testFiles().size());
            o.say("  started from: %s; recipe: %s; epochs: %s; precision: %s", t.pretrained(), t.recipe(), t.epochs(),
                    t.precision());
            if (t.metrics() != null && !t.metrics().isEmpty()) {
                o.say("  final metrics: %s", t.metrics().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")));
            }
        }
    }

    /** E.g. {@code random, valid 20%, seed 42} or {@code grandparent}. */
    private static String split(Map<String, Object> s) {
        if (s == null) {
            return "not recorded";
        }
        StringBuilder b = new StringBuilder(String.valueOf(s.get("kind")));
        if (s.get("valid_pct") instanceof Number v && !"grandparent".equals(s.get("kind"))) {
            b.append(String.format(Locale.ROOT, ", valid %.0f%%", v.doubleValue() * 100));
        }
        if (s.get("test_pct") instanceof Number t && t.doubleValue() > 0) {
            b.append(String.format(Locale.ROOT, ", test %.0f%%", t.doubleValue() * 100));
        }
        if (s.get("seed") != null) {
            b.append(", seed ").append(s.get("seed"));
        }
        if (s.get("time_key") != null) {
            b.append(", time key ").append(s.get("time_key"));
        }
        return b.toString();
    }

    private static String rounded(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.3f", v)).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String size(Path file) {
        try {
            return String.format(Locale.ROOT, "%.1f MB", Files.size(file) / 1e6);
        } catch (IOException e) {
            return "size unknown";
        }
    }
}
