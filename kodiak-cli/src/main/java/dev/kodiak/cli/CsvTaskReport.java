package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.Task;
import dev.kodiak.vision.interpret.MultiLabelInterpretation;
import dev.kodiak.vision.interpret.MultiLabelTopLoss;
import dev.kodiak.vision.interpret.RegressionInterpretation;
import dev.kodiak.vision.interpret.RegressionTopLoss;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kodiak interpret} for regression and multi-label models: the numbers with their bootstrap intervals,
 * the plots (regression: scatter.png, residuals.png, top-losses.png; multi-label: per-label.png, top-losses.png)
 * and report.json under the metric names of docs/cli-json.md.
 */
final class CsvTaskReport {
    private CsvTaskReport() {
    }

    static void run(Output o, Predictor predictor, Path model, Path data, String split, boolean all, int topLosses,
                    Path report) {
        Task task = Task.of(predictor.manifest().output());
        CsvTaskEvaluation e = CsvTaskEvaluation.of(predictor, model, data, split, all);
        if (e.files().isEmpty()) {
            throw new KodiakException("no labelled images to evaluate in " + data + " (" + e.missing().size()
                    + " of the model's " + split + " files are not listed in its CSV there; try --all)");
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model.toAbsolutePath().toString());
        r.put("data", data.toAbsolutePath().toString());
        r.put("split", split);
        r.put("task", task.name());
        r.put("items", e.predictions().n());
        var training = predictor.manifest().trainingData();
        if (training != null && training.csv() != null) { // how the targets were read, as the model file recorded it
            var csv = training.csv();
            Map<String, Object> read = new LinkedHashMap<>();
            read.put("csv", csv.file());
            read.put("file_column", csv.fileColumn());
            read.put("label_columns", csv.labelColumns());
            read.put("label_delimiter", csv.labelDelimiter());
            read.put("valid_column", csv.validColumn());
            r.put("targets_read", read);
        }
        if (predictor.manifest().output().yRange() != null) {
            r.put("y_range", predictor.manifest().output().yRange());
        }
        Map<String, String> images = new LinkedHashMap<>();
        Path top = report.resolve("top-losses.png");
        List<Map<String, Object>> losses = new ArrayList<>();
        String table;
        if (task instanceof Task.Regression) {
            RegressionInterpretation interp = RegressionInterpretation.of(task.labels(), e.predictions(), e.files());
            r.put("targets", task.labels());
            r.putAll(interp.reportMetrics());
            Path scatter = report.resolve("scatter.png");
            Path residuals = report.resolve("residuals.png");
            interp.plotScatter(scatter);
            interp.plotResiduals(residuals);
            interp.plotTopLosses(topLosses, top);
            for (RegressionTopLoss t : interp.topLosses(topLosses)) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("file", t.item().toString());
                l.put("actual", named(t.targets(), t.actual()));
                l.put("predicted", named(t.targets(), t.predicted()));
                l.put("error", t.error());
                losses.add(l);
            }
            images.put("scatter", scatter.toAbsolutePath().toString());
            images.put("residuals", residuals.toAbsolutePath().toString());
            table = String.format(java.util.Locale.ROOT, "MAE %s%nRMSE %s%nR² %s", interp.mae(), interp.rmse(),
                    interp.r2());
        } else {
            Task.MultiLabel ml = (Task.MultiLabel) task;
            MultiLabelInterpretation interp = MultiLabelInterpretation.of(task.labels(), e.predictions(), e.files(),
                    ml.threshold());
            r.put("labels", task.labels());
            r.putAll(interp.reportMetrics());
            r.put("threshold_tuned", ml.tuned());
            Path perLabel = report.resolve("per-label.png");
            interp.plotPerLabel(perLabel);
            interp.plotTopLosses(topLosses, top);
            for (MultiLabelTopLoss t : interp.topLosses(topLosses)) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("file", t.item().toString());
                l.put("actual", t.actual());
                l.put("predicted", t.predicted());
                l.put("loss", t.loss());
                losses.add(l);
            }
            images.put("per_label", perLabel.toAbsolutePath().toString());
            table = "accuracy_multi " + interp.accuracyMulti() + (ml.tuned() ? " (threshold tuned on the validation "
                    + "set: optimistic there)" : "") + System.lineSeparator() + interp.report().toString().stripTrailing();
        }
        images.put("top_losses", top.toAbsolutePath().toString());
        r.put("top_losses", losses);
        r.put("missing", e.missing());
        List<Map<String, Object>> failed = new ArrayList<>();
        e.failed().forEach((f, why) -> failed.add(Map.of("file", f, "error", why)));
        r.put("failed", failed);
        r.put("images", images);
        Path reportJson = report.resolve("report.json");
        InterpretCommand.write(reportJson, r);
        o.object(r);
        o.say("Interpreting %s (%s) on %s of %s: %d images", model, task.name(), split, data, e.predictions().n());
        if (!e.missing().isEmpty()) {
            o.warn("%d of the model's %s files are not listed in its CSV under %s (left out)", e.missing().size(),
                    split, data);
        }
        e.failed().forEach((f, why) -> o.warn("cannot read %s (left out): %s", f, why));
        o.say("%s", table);
        images.forEach((name, path) -> o.say("%-12s %s", name, path));
        o.say("Report:      %s", reportJson.toAbsolutePath());
    }

    private static Map<String, Double> named(List<String> names, double[] values) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int j = 0; j < names.size(); j++) {
            m.put(names.get(j), values[j]);
        }
        return m;
    }
}
