package dev.kodiak.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kodiak.KodiakException;
import dev.kodiak.data.ItemFailure;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.interpret.ClassReport;
import dev.kodiak.vision.interpret.ClassificationInterpretation;
import dev.kodiak.vision.interpret.Confusion;
import dev.kodiak.vision.interpret.ErrorRate;
import dev.kodiak.vision.interpret.TopLoss;
import dev.kodiak.vision.predict.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kodiak interpret MODEL [DIR]}: where the model goes wrong, as pictures, a JSON report and a summary. */
@Command(name = "interpret", mixinStandardHelpOptions = true,
        description = {"Evaluate a model on its validation split (or test split, or all images) and report where it "
                + "goes wrong: confusion.png, top-losses.png and report.json in the report folder, and a summary.",
                "DIR defaults to the folder the model was trained on. Given a DIR with the same layout, the model's "
                        + "recorded validation files are looked up under it."})
final class InterpretCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The .kodiak model file.")
    Path model;

    @Option(names = "--out", paramLabel = "REPORT_DIR", description = "Where to write the report (default: MODEL-report/).")
    Path out;

    @Option(names = "--top-losses", paramLabel = "K", defaultValue = "9",
            description = "How many top-loss images to show (default: ${DEFAULT-VALUE}).")
    int topLosses;

    @Mixin
    EvaluationOptions eval;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        eval.check();
        if (topLosses < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top-losses must be at least 1");
        }
        Output o = new Output(spec, json.on);
        try (Predictor predictor = Predictor.load(model)) {
            Manifest m = predictor.manifest();
            Path data = eval.folder(model, m);
            if (!Manifest.SINGLE_LABEL.equals(m.output().task())) {
                CsvTaskReport.run(o, predictor, model, data, eval.all ? "all" : eval.split, eval.all, topLosses,
                        out != null ? out : defaultOut());
                return;
            }
            EvaluationData.Items items = eval.items(model, m, data);
            if (items.files().isEmpty()) {
                throw new KodiakException("no labelled images to evaluate in " + data
                        + (eval.all ? "" : " (" + items.missing().size() + " of the model's " + eval.split
                        + " files are missing there" + (items.outside().isEmpty() ? "" : ", " + items.outside().size()
                        + " lead outside it and were refused") + "; try --all)"));
            }
            ClassificationInterpretation interp = ClassificationInterpretation.of(predictor, items.files(),
                    items.labels());
            Path report = out != null ? out : defaultOut();
            Path confusion = report.resolve("confusion.png");
            Path top = report.resolve("top-losses.png");
            interp.plotConfusionMatrix(confusion);
            interp.plotTopLosses(topLosses, top);
            Map<String, Object> json = report(interp, items, data, confusion, top);
            Path reportJson = report.resolve("report.json");
            write(reportJson, json);
            o.object(json);
            summary(o, interp, items, data, predictor.labels(), confusion, top, reportJson);
        }
    }

    private Map<String, Object> report(ClassificationInterpretation interp, EvaluationData.Items items, Path data,
                                       Path confusion, Path top) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model.toAbsolutePath().toString());
        r.put("data", data.toAbsolutePath().toString());
        r.put("split", eval.all ? "all" : eval.split);
        r.put("items", interp.predictions().n());
        r.put("vocab", interp.vocab());
        r.put("confusion_matrix", interp.confusionMatrix());
        List<Map<String, Object>> confused = new ArrayList<>();
        for (Confusion c : interp.mostConfused()) {
            confused.add(ordered("actual", c.actual(), "predicted", c.predicted(), "count", c.count()));
        }
        r.put("most_confused", confused);
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (ClassReport c : interp.classificationReport().perClass()) {
            perClass.put(c.label(), ordered("precision", c.precision(), "recall", c.recall(), "f1", c.f1(),
                    "support", c.support()));
        }
        r.put("per_class", perClass);
        r.put("accuracy", interp.classificationReport().accuracy());
        ErrorRate e = interp.errorRate();
        r.put("error_rate", e.value());
        r.put("error_rate_ci95", List.of(e.low(), e.high()));
        List<Map<String, Object>> losses = new ArrayList<>();
        for (TopLoss t : interp.topLosses(topLosses)) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("file", t.item().toString());
            l.put("actual", t.actual());
            l.put("predicted", t.predicted());
            l.put("loss", t.loss());
            l.put("probability", t.probability());
            losses.add(l);
        }
        r.put("top_losses", losses);
        r.put("missing", items.missing());
        r.put("unknown_labels", items.unknown());
        r.put("unlabelled", items.unlabelled());
        List<Map<String, Object>> outside = new ArrayList<>();
        items.outside().forEach((file, why) -> outside.add(ordered("file", file, "why", why)));
        r.put("outside_data", outside);
        List<Map<String, Object>> failed = new ArrayList<>();
        for (ItemFailure f : interp.failures()) {
            failed.add(ordered("file", f.file().toString(), "error", f.error()));
        }
        r.put("failed", failed);
        r.put("images", ordered("confusion_matrix", confusion.toAbsolutePath().toString(),
                "top_losses", top.toAbsolutePath().toString()));
        return r;
    }

    private void summary(Output o, ClassificationInterpretation interp, EvaluationData.Items items, Path data,
                         List<String> vocab, Path confusion, Path top, Path reportJson) {
        String what = eval.all ? "all labelled images"
                : "the " + ("test".equals(eval.split) ? "test" : "validation") + " split";
        o.say("Interpreting %s on %s of %s: %d images, %d labels", model, what, data, interp.predictions().n(),
                vocab.size());
        if (!items.missing().isEmpty()) {
            o.warn("%d of the model's %s files are not in %s (left out)", items.missing().size(), eval.split, data);
        }
        items.unknown().forEach((label, n) -> o.warn("%d images labelled '%s', which the model does not know "
                + "(left out)", n, label));
        if (!items.unlabelled().isEmpty()) {
            o.warn("%d images could not be labelled (left out)", items.unlabelled().size());
        }
        items.outside().forEach((file, why) -> o.warn("refusing the model's %s file %s: %s (left out)", eval.split,
                file, why));
        for (ItemFailure f : interp.failures()) {
            o.warn("cannot read %s (left out): %s", f.file(), f.error());
        }
        o.say("");
        o.say("Error rate %s", interp.errorRate());
        if (interp.predictions().n() < 200) {
            o.say("  (with %d images, differences inside that interval are noise)", interp.predictions().n());
        }
        o.say("");
        List<Confusion> confused = interp.mostConfused();
        o.say(confused.isEmpty() ? "No confusions." : "Most confused (actual → predicted):");
        for (Confusion c : confused.subList(0, Math.min(10, confused.size()))) {
            o.say("  %-20s → %-20s %d", c.actual(), c.predicted(), c.count());
        }
        o.say("");
        o.say("%s", interp.classificationReport().table().stripTrailing());
        o.say("");
        o.say("Confusion matrix: %s", confusion.toAbsolutePath());
        o.say("Top losses:       %s", top.toAbsolutePath());
        o.say("Report:           %s", reportJson.toAbsolutePath());
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private Path defaultOut() {
        String name = model.getFileName().toString();
        String base = name.endsWith(".kodiak") ? name.substring(0, name.length() - ".kodiak".length()) : name;
        Path parent = model.toAbsolutePath().getParent();
        return parent.resolve(base + "-report");
    }

    static void write(Path file, Map<String, Object> json) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".report", ".tmp");
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
            dev.kodiak.io.AtomicFiles.move(tmp, file);
        } catch (IOException e) {
            throw new KodiakException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
