package dev.kodiak.vision.interpret;

import dev.kodiak.KodiakException;
import dev.kodiak.compare.Comparison;
import dev.kodiak.compare.ItemMeasure;
import dev.kodiak.data.ItemFailure;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two loaded models compared on the same labelled image files: both predict every file, and the per-item scores go
 * into a paired {@link Comparison}.
 * <pre>{@code
 * try (Predictor a = Predictor.load(Path.of("crop.kodiak")); Predictor b = Predictor.load(Path.of("squish.kodiak"))) {
 *     Comparison c = ModelComparison.of(a, b, files, labels).comparison();
 *     System.out.println(c.difference() + " " + c.differenceInterval() + " p=" + c.pValue());
 * }
 * }</pre>
 *
 * @param comparison the paired statistics
 * @param items      the files both models were scored on, in the comparison's order
 * @param failures   files that could not be read (left out for both models)
 */
public record ModelComparison(Comparison comparison, List<Path> items, List<ItemFailure> failures) {
    public ModelComparison {
        items = List.copyOf(items);
        failures = List.copyOf(failures);
    }

    /**
     * Both models on {@code files} with their true {@code labels}. The models must do the same task with the same
     * labels (in any order); files either model cannot read are left out of both.
     */
    public static ModelComparison of(Predictor a, Predictor b, List<Path> files, List<String> labels) {
        if (!a.task().equals(b.task())) {
            throw new KodiakException("cannot compare a " + a.task() + " model (" + a.source() + ") with a "
                    + b.task() + " model (" + b.source() + "): a comparison needs two models of the same task");
        }
        if (!new HashSet<>(a.labels()).equals(new HashSet<>(b.labels()))) {
            throw new KodiakException("cannot compare models with different labels: " + a.source() + " knows "
                    + a.labels() + ", " + b.source() + " knows " + b.labels());
        }
        if (!Manifest.SINGLE_LABEL.equals(a.task())) {
            throw new KodiakException("comparing models from files supports single-label classifiers for now; "
                    + a.source() + " is " + a.task() + " (Comparison.ofValues takes per-item values of any task)");
        }
        ClassificationInterpretation ia = ClassificationInterpretation.of(a, files, labels);
        ClassificationInterpretation ib = ClassificationInterpretation.of(b, files, labels);
        double[] errorsA = ItemMeasure.ERROR_RATE.perItem(ia.predictions(), Comparison.THRESHOLD);
        double[] errorsB = ItemMeasure.ERROR_RATE.perItem(ib.predictions(), Comparison.THRESHOLD);
        // a file one model's decoder refused is left out of both, so the pairs stay pairs
        Map<Path, Integer> rowB = new HashMap<>();
        for (int i = 0; i < ib.items().size(); i++) {
            rowB.put(ib.items().get(i), i);
        }
        List<Path> kept = new ArrayList<>();
        List<Double> va = new ArrayList<>();
        List<Double> vb = new ArrayList<>();
        for (int i = 0; i < ia.items().size(); i++) {
            Integer j = rowB.get(ia.items().get(i));
            if (j != null) {
                kept.add(ia.items().get(i));
                va.add(errorsA[i]);
                vb.add(errorsB[j]);
            }
        }
        Map<Path, ItemFailure> failed = new LinkedHashMap<>();
        for (ItemFailure f : ia.failures()) {
            failed.putIfAbsent(f.file(), f);
        }
        for (ItemFailure f : ib.failures()) {
            failed.putIfAbsent(f.file(), f);
        }
        if (kept.isEmpty()) {
            throw new KodiakException("no image could be read by both models (" + failed.size() + " failed)");
        }
        Comparison c = Comparison.ofValues(va.stream().mapToDouble(Double::doubleValue).toArray(),
                vb.stream().mapToDouble(Double::doubleValue).toArray(), ItemMeasure.ERROR_RATE);
        Set<Path> seen = new HashSet<>(kept);
        failed.keySet().removeIf(seen::contains);
        return new ModelComparison(c, kept, new ArrayList<>(failed.values()));
    }
}
