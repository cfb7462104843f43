package dev.kodiak.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.KodiakException;
import dev.kodiak.data.SplitterSpec;
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
        Manifest.Head h = m.model().head();
        // a head without a hidden layer (the plain linear head, custom ones) shows its two sizes only
        String sizes = h == null ? "?" : h.hidden() > 0
                ? String.format(Locale.ROOT, "%d → %d → %d", h.inputFeatures(), h.hidden(), h.outputs())
                : String.format(Locale.ROOT, "%d → %d", h.inputFeatures(), h.outputs());
        o.say("Architecture:  %s + %s head (%s)", m.model().architecture(), h == null ? "?" : h.type(), sizes);
        o.say("Task:          %s, loss %s%s", m.output().task(), m.output().loss(),
                m.output().threshold() == null ? "" : String.format(Locale.ROOT, ", threshold %.2f", m.output().threshold()));
        o.say("Labels (%d):    %s", m.output().labels().size(), String.join(", ", m.output().labels()));
        String transforms;
        try {
            transforms = TransformSpecs.fromSpecs(m.input().itemTransforms()).stream().map(t -> t.describe())
                    .collect(Collectors.joining(", "));
        } catch (KodiakException e) {
            transforms = m.input().itemTransforms() + " (not readable by this Kodiak: " + e.getMessage() + ")";
        }
        o.say("Input:         %d channels, %s; item transforms: %s", m.input().channels(),
                m.input().size() == null ? "size from the transforms" : m.input().size().get(0) + "x" + m.input().size().get(1),
                transforms);
        if (m.input().normalization() != null) {
            o.say("Normalization: mean %s, std %s", rounded(m.input().normalization().mean()), rounded(m.input().normalization().std()));
        }
        Manifest.WeightsInfo w = m.weights();
        o.say("Weights:       %,d values in %d tensors; SHA-256 %s (verified)", w.numel(), w.tensors(), w.sha256());
        Manifest.Training t = m.training();
        if (t != null) {
            Manifest.Data d = t.data();
            if (d != null) {
                o.say("Training data: %s%s", d.root(), d.root() != null && Files.isDirectory(Path.of(d.root()))
                        ? "" : " (no longer there)");
                o.say("  fingerprint %s; labels from %s; split %s", d.fingerprint(), d.labelSpec(), split(d.split()));
                o.say("  %d validation and %d test files recorded", d.validFiles() == null ? 0 : d.validFiles().size(),
                        d.testFiles() == null ? 0 : d.testFiles().size());
            }
            o.say("Recipe:        %s", t.recipe() == null ? "not recorded" : t.recipe().describe());
            if (t.recipe() != null) {
                o.say("  %s", t.recipe().inWords());
            }
            o.say("  started from: %s; epochs: %s; precision: %s", t.pretrained(), t.epochs(), t.precision());
            if (t.metrics() != null && !t.metrics().isEmpty()) {
                o.say("  final metrics: %s", t.metrics().entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")));
            }
        }
    }

    /** E.g. {@code random, valid 20%, seed 42} or {@code grandparent train/valid}. */
    private static String split(SplitterSpec s) {
        if (s == null) {
            return "not recorded";
        }
        String test = s.testPct() > 0 ? String.format(Locale.ROOT, ", test %.0f%%", s.testPct() * 100) : "";
        if (s instanceof SplitterSpec.Random r) {
            return String.format(Locale.ROOT, "random, valid %.0f%%%s, seed %d", r.validPct() * 100, test, r.seed());
        }
        if (s instanceof SplitterSpec.Stratified r) {
            return String.format(Locale.ROOT, "stratified, valid %.0f%%%s, seed %d", r.validPct() * 100, test, r.seed());
        }
        if (s instanceof SplitterSpec.Grandparent g) {
            return "grandparent " + g.train() + "/" + g.valid() + (s.testPct() > 0 ? test + ", seed " + g.seed()
                    : "/" + g.test());
        }
        if (s instanceof SplitterSpec.ByTime b) {
            return String.format(Locale.ROOT, "by %s, last %.0f%% valid%s", b.key(), b.validPct() * 100, test);
        }
        return ((SplitterSpec.Custom) s).description() + test;
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
