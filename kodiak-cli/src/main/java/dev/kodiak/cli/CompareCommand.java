package dev.kodiak.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kodiak.KodiakException;
import dev.kodiak.compare.Comparison;
import dev.kodiak.compare.Estimate;
import dev.kodiak.compare.Interval;
import dev.kodiak.compare.ItemMeasure;
import dev.kodiak.data.ItemFailure;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.interpret.ModelComparison;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code kodiak compare A B [DIR]}: is model B really better than model A, on the same items? */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two models on the same labelled images: each model's error rate with its 95%% "
                + "confidence interval, the paired difference B − A with a paired-bootstrap 95%% interval, the images "
                + "only one of them gets right, McNemar's exact test, and a plain-words reading (with roughly how "
                + "many images would detect the observed difference with 80%% power).",
                "The images: A's recorded validation split (or --split test, or --all: every labelled image) in "
                        + "the folder A was trained on, or in DIR. The models must do the same task with the same "
                        + "labels. If a model trained on any of these images, the output says so.",
                "Intervals: percentile bootstrap over the images, " + Comparison.RESAMPLES + " resamples, seed "
                        + Comparison.SEED + ". Single-label classifiers for now."})
final class CompareCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "A", description = "The baseline model (.kodiak).")
    Path modelA;

    @Parameters(index = "1", paramLabel = "B", description = "The model to compare with it (.kodiak).")
    Path modelB;

    @Mixin
    EvaluationOptions eval;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        eval.check();
        Output o = new Output(spec, json.on);
        try (Predictor a = Predictor.load(modelA); Predictor b = Predictor.load(modelB)) {
            Manifest ma = a.manifest();
            Path data = eval.folder(modelA, ma);
            if (!Manifest.SINGLE_LABEL.equals(ma.output().task())) {
                compareCsvTask(o, a, b, data);
                return;
            }
            EvaluationData.Items items = eval.items(modelA, ma, data);
            if (items.files().isEmpty()) {
                throw new KodiakException("no labelled images to compare on in " + data
                        + (eval.all ? "" : " (" + items.missing().size() + " of A's " + eval.split
                        + " files are missing there; try --all)"));
            }
            ModelComparison mc = ModelComparison.of(a, b, items.files(), items.labels());
            Comparison c = mc.comparison();
            o.object(json(c));
            String what = eval.all ? "every labelled image"
                    : "A's " + ("test".equals(eval.split) ? "test" : "validation") + " split";
            o.say("Comparing on %s of %s: %d images", what, data, c.n());
            warnings(o, items, mc, ma, b.manifest(), data);
            summary(o, c);
        }
    }

    private static double threshold(Predictor p) {
        Double t = p.manifest().output().threshold();
        return t == null ? Comparison.THRESHOLD : t;
    }

    /** Regression (per-item MAE) or multi-label (per-item accuracy_multi) models: targets read from A's CSV. */
    private void compareCsvTask(Output o, Predictor a, Predictor b, Path data) {
        if (!a.task().equals(b.task())) {
            throw new KodiakException("cannot compare a " + a.task() + " model (" + modelA + ") with a " + b.task()
                    + " model (" + modelB + "): a comparison needs two models of the same task");
        }
        if (!new java.util.HashSet<>(a.labels()).equals(new java.util.HashSet<>(b.labels()))) {
            throw new KodiakException("cannot compare models with different labels: " + modelA + " knows " + a.labels()
                    + ", " + modelB + " knows " + b.labels() + " (a comparison needs the same task and labels)");
        }
        String split = eval.all ? "all" : eval.split;
        CsvTaskEvaluation ea = CsvTaskEvaluation.of(a, modelA, a.manifest(), data, split, eval.all);
        CsvTaskEvaluation eb = CsvTaskEvaluation.of(b, modelA, a.manifest(), data, split, eval.all);
        ItemMeasure measure = Manifest.REGRESSION.equals(a.task()) ? ItemMeasure.MAE : ItemMeasure.ACCURACY_MULTI;
        // each multi-label model is scored at its own threshold (the one predict and interpret use, possibly tuned)
        double[] va = measure.perItem(ea.predictions(), threshold(a));
        double[] vb = measure.perItem(eb.predictions(), threshold(b));
        java.util.Map<Path, Integer> rowB = new java.util.HashMap<>();
        for (int i = 0; i < eb.files().size(); i++) {
            rowB.put(eb.files().get(i), i);
        }
        List<Double> pa = new ArrayList<>();
        List<Double> pb = new ArrayList<>();
        List<Path> kept = new ArrayList<>();
        for (int i = 0; i < ea.files().size(); i++) {
            Integer j = rowB.get(ea.files().get(i)); // a file one model could not read is left out of both
            if (j != null) {
                pa.add(va[i]);
                pb.add(vb[j]);
                kept.add(ea.files().get(i));
            }
        }
        if (kept.isEmpty()) {
            throw new KodiakException("no labelled images to compare on in " + data + " (" + ea.missing().size()
                    + " of A's " + split + " files are not listed in its CSV there; try --all)");
        }
        Comparison c = Comparison.ofValues(pa.stream().mapToDouble(Double::doubleValue).toArray(),
                pb.stream().mapToDouble(Double::doubleValue).toArray(), measure);
        o.object(json(c));
        o.say("Comparing on %s of %s: %d images (%s)", eval.all ? "every listed image" : "A's " + split + " split",
                data, c.n(), a.task());
        if (!ea.missing().isEmpty()) {
            o.warn("%d of A's %s files are not listed in its CSV under %s (left out)", ea.missing().size(), split, data);
        }
        Manifest reference = eval.all ? null : a.manifest();
        overlap(o, "A", modelA, TrainingOverlap.of(a.manifest(), reference, data, kept), kept.size());
        overlap(o, "B", modelB, TrainingOverlap.of(b.manifest(), reference, data, kept), kept.size());
        String metric = c.measure().metric().replace('_', ' ');
        o.say("");
        o.say("  A  %-40s %s %s", modelA, metric, c.a());
        o.say("  B  %-40s %s %s", modelB, metric, c.b());
        o.say("Difference B − A: %+.4f (%s, paired bootstrap over the same images)", c.difference(),
                c.differenceInterval());
        o.say("Paired sign-flip permutation test (two-sided): p = %s", ComparisonReading.pValue(c.pValue()));
    }

    private void warnings(Output o, EvaluationData.Items items, ModelComparison mc, Manifest ma, Manifest mb,
                          Path data) {
        if (!items.missing().isEmpty()) {
            o.warn("%d of A's %s files are not in %s (left out)", items.missing().size(), eval.split, data);
        }
        items.unknown().forEach((label, n) -> o.warn("%d images labelled '%s', which the models do not know "
                + "(left out)", n, label));
        if (!items.unlabelled().isEmpty()) {
            o.warn("%d images could not be labelled (left out)", items.unlabelled().size());
        }
        for (ItemFailure f : mc.failures()) {
            o.warn("cannot read %s (left out): %s", f.file(), f.error());
        }
        Manifest reference = eval.all ? null : ma;
        overlap(o, "A", modelA, TrainingOverlap.of(ma, reference, data, mc.items()), mc.items().size());
        overlap(o, "B", modelB, TrainingOverlap.of(mb, reference, data, mc.items()), mc.items().size());
    }

    private static void overlap(Output o, String name, Path model, TrainingOverlap overlap, int n) {
        if (!overlap.known()) {
            o.warn("%s (%s) was trained on another folder: whether it saw these images cannot be checked", name,
                    model);
        } else if (overlap.trained() > 0) {
            o.warn("%s (%s) WAS TRAINED ON %d OF THESE %d IMAGES: its score on them is optimistic and the comparison "
                    + "is biased in its favour. Compare on images neither model trained on (e.g. --split test when "
                    + "both hold out the same test files).", name, model, overlap.trained(), n);
        }
    }

    private ObjectNode json(Comparison c) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("n", c.n());
        root.put("task", c.measure().task());
        root.set("a", model(root, modelA, c, c.a()));
        root.set("b", model(root, modelB, c, c.b()));
        root.put("difference", c.difference());
        root.set("difference_ci", interval(root, c.differenceInterval()));
        ObjectNode discordant = root.objectNode();
        discordant.put("a_only", c.discordant().aOnly());
        discordant.put("b_only", c.discordant().bOnly());
        root.set("discordant", discordant);
        root.put("test", c.test());
        root.put("p_value", c.pValue());
        OptionalLong need = c.itemsForPower(0.8);
        if (need.isPresent()) {
            root.put("items_for_80pct_power", need.getAsLong());
        } else {
            root.putNull("items_for_80pct_power");
        }
        return root;
    }

    private static ObjectNode model(ObjectNode factory, Path file, Comparison c, Estimate e) {
        ObjectNode m = factory.objectNode();
        m.put("model", file.toAbsolutePath().toString());
        m.put(c.measure().metric(), e.value());
        m.set("ci", interval(factory, e.interval()));
        return m;
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode interval(ObjectNode factory, Interval i) {
        return factory.arrayNode().add(i.low()).add(i.high());
    }

    private void summary(Output o, Comparison c) {
        String metric = c.measure().metric().replace('_', ' ');
        o.say("");
        o.say("  A  %-40s %s %s", modelA, metric, c.a());
        o.say("  B  %-40s %s %s", modelB, metric, c.b());
        o.say("");
        o.say("Difference B − A: %+.3f (%s, paired bootstrap over the same images)", c.difference(),
                c.differenceInterval());
        int agree = c.n() - c.discordant().total();
        o.say("Discordant: %d images only A gets right, %d only B gets right (they agree on the other %d)",
                c.discordant().aOnly(), c.discordant().bOnly(), agree);
        o.say("McNemar's exact test (two-sided): p = %s", ComparisonReading.pValue(c.pValue()));
        o.say("");
        for (String line : ComparisonReading.of(c)) {
            o.say("%s", line);
        }
    }
}
