package dev.kodiak.vision.interpret;

import dev.kodiak.KodiakException;
import dev.kodiak.compare.Bootstrap;
import dev.kodiak.compare.Estimate;
import dev.kodiak.compare.ItemMeasure;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.learn.metrics.Predictions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a multi-label model gets wrong at its threshold: per-label precision, recall, F1 and support,
 * {@code accuracy_multi} with a bootstrap confidence interval, {@code f1_samples}, {@code f1_macro}, a per-label bar
 * chart and the items with the highest loss.
 * <pre>{@code
 * var interp = MultiLabelInterpretation.of(List.of("cat", "dog", "fox"), preds, files, 0.5);
 * System.out.println(interp.report());          // the per-label table
 * System.out.println(interp.accuracyMulti());   // 0.910 (95% CI 0.880–0.937)
 * interp.plotTopLosses(9, Path.of("top-losses.png"));
 * }</pre>
 * A label counts as predicted when its probability is above the threshold, as in the metrics. The interval resamples
 * the items (1000 resamples, seed 42, as {@link ClassificationInterpretation#errorRate()}).
 */
public final class MultiLabelInterpretation {
    private final List<String> labels;
    private final Predictions preds;
    private final ItemGallery gallery;
    private final double threshold;
    private final double confidence;
    private final int resamples;
    private final long seed;

    private MultiLabelInterpretation(List<String> labels, Predictions preds, ItemGallery gallery, double threshold,
                                     double confidence, int resamples, long seed) {
        if (!(confidence > 0 && confidence < 1) || resamples < 1) {
            throw new KodiakException("confidence must be in (0, 1) and resamples at least 1, got " + confidence
                    + " and " + resamples);
        }
        this.labels = labels;
        this.preds = preds;
        this.gallery = gallery;
        this.threshold = threshold;
        this.confidence = confidence;
        this.resamples = resamples;
        this.seed = seed;
    }

    /**
     * Predictions made elsewhere: probabilities {@code n × k} (sigmoid applied) and multi-hot targets {@code n × k},
     * optionally with per-item losses (without them: the binary cross-entropy averaged over the labels).
     * {@code items} (the image files, in prediction order) may be empty: everything but the top-losses plot works.
     */
    public static MultiLabelInterpretation of(List<String> labels, Predictions predictions, List<Path> items,
                                              double threshold) {
        if (predictions.singleLabel()) {
            throw new KodiakException("MultiLabelInterpretation is for multi-label models; these predictions have "
                    + "single-label class targets: use ClassificationInterpretation");
        }
        if (labels.size() != predictions.k()) {
            throw new KodiakException("got " + labels.size() + " labels " + labels + " for predictions of "
                    + predictions.k() + " labels per item");
        }
        if (new HashSet<>(labels).size() != labels.size() || labels.stream().anyMatch(String::isBlank)) {
            throw new KodiakException("labels must be distinct and not blank, got " + labels);
        }
        if (!(threshold > 0 && threshold < 1)) {
            throw new KodiakException("the threshold must be between 0 and 1 (exclusive), got " + threshold);
        }
        Predictions p = predictions.losses() != null ? predictions
                : predictions.withLosses(binaryCrossEntropy(predictions));
        return new MultiLabelInterpretation(List.copyOf(labels), p, ItemGallery.decoded(items, p.n()), threshold, 0.95,
                ClassificationInterpretation.RESAMPLES, ClassificationInterpretation.SEED);
    }

    /** The same interpretation with other bootstrap settings (the defaults: 0.95, 1000 resamples, seed 42). */
    public MultiLabelInterpretation withBootstrap(double confidence, int resamples, long seed) {
        return new MultiLabelInterpretation(labels, preds, gallery, threshold, confidence, resamples, seed);
    }

    public List<String> labels() {
        return labels;
    }

    public double threshold() {
        return threshold;
    }

    /** The predictions interpreted (probabilities, multi-hot targets, per-item losses). */
    public Predictions predictions() {
        return preds;
    }

    /** The evaluated image files, in prediction order (empty when none were given). */
    public List<Path> items() {
        return gallery.items();
    }

    /** Precision, recall, F1 and support per label, with the micro, macro, weighted and samples averages. */
    public MultiLabelReport report() {
        int n = preds.n();
        int k = labels.size();
        int[][] counts = new int[k][3];   // label -> {tp, fp, fn}
        double[] samples = new double[3];
        for (int i = 0; i < n; i++) {
            int both = 0;
            int predicted = 0;
            int truth = 0;
            for (int j = 0; j < k; j++) {
                boolean pr = predicted(i, j);
                boolean tr = actual(i, j);
                if (pr || tr) {
                    counts[j][pr && tr ? 0 : pr ? 1 : 2]++;
                }
                both += pr && tr ? 1 : 0;
                predicted += pr ? 1 : 0;
                truth += tr ? 1 : 0;
            }
            // scikit-learn's zero_division=0: an item with nothing predicted has precision 0, nothing true recall 0
            samples[0] += predicted == 0 ? 0 : (double) both / predicted / n;
            samples[1] += truth == 0 ? 0 : (double) both / truth / n;
            samples[2] += predicted + truth == 0 ? 0 : 2.0 * both / (predicted + truth) / n;
        }
        List<ClassReport> rows = new ArrayList<>();
        int[] pooled = new int[3];
        double[] macro = new double[3];
        double[] weighted = new double[3];
        int supportSum = 0;
        for (int j = 0; j < k; j++) {
            ClassReport row = row(labels.get(j), counts[j]);
            rows.add(row);
            double[] v = {row.precision(), row.recall(), row.f1()};
            for (int m = 0; m < 3; m++) {
                pooled[m] += counts[j][m];
                macro[m] += v[m] / k;
                weighted[m] += v[m] * row.support();
            }
            supportSum += row.support();
        }
        for (int m = 0; m < 3; m++) {
            weighted[m] = supportSum == 0 ? 0 : weighted[m] / supportSum;
        }
        return new MultiLabelReport(rows, row("micro avg", pooled),
                new ClassReport("macro avg", macro[0], macro[1], macro[2], supportSum),
                new ClassReport("weighted avg", weighted[0], weighted[1], weighted[2], supportSum),
                new ClassReport("samples avg", samples[0], samples[1], samples[2], supportSum), threshold, n);
    }

    /**
     * fastai's {@code accuracy_multi}: the share of (item, label) decisions that are right, with its bootstrap
     * interval over the items.
     */
    public Estimate accuracyMulti() {
        double[] perItem = ItemMeasure.ACCURACY_MULTI.perItem(preds, threshold);
        return new Estimate(Metrics.accuracyMulti(threshold).compute(preds),
                Bootstrap.meanInterval(perItem, confidence, resamples, seed));
    }

    /** F1 per item, averaged over the items (scikit-learn's {@code average='samples'}). */
    public double f1Samples() {
        return Metrics.f1Samples(threshold).compute(preds);
    }

    /** F1 per label, averaged over the labels (scikit-learn's {@code average='macro'}). */
    public double f1Macro() {
        return Metrics.f1MacroAt(threshold).compute(preds);
    }

    /** The {@code k} items with the highest loss, highest first (ties: earlier item first). */
    public List<MultiLabelTopLoss> topLosses(int k) {
        float[] losses = preds.losses();
        Integer[] order = new Integer[preds.n()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(losses[b], losses[a]));
        List<MultiLabelTopLoss> out = new ArrayList<>();
        for (int r = 0; r < Math.min(Math.max(k, 0), order.length); r++) {
            int i = order[r];
            List<String> actual = new ArrayList<>();
            List<String> predicted = new ArrayList<>();
            for (int j = 0; j < labels.size(); j++) {
                if (actual(i, j)) {
                    actual.add(labels.get(j));
                }
                if (predicted(i, j)) {
                    predicted.add(labels.get(j));
                }
            }
            out.add(new MultiLabelTopLoss(i, gallery.item(i), actual, predicted, losses[i]));
        }
        return out;
    }

    /** Writes precision, recall and F1 of every label as grouped bars. */
    public void plotPerLabel(Path png) {
        Plots.perLabel(report().perLabel(), png);
    }

    /** Writes the {@code k} top-loss images in a grid, captioned with the predicted and actual label sets. */
    public void plotTopLosses(int k, Path png) {
        List<MultiLabelTopLoss> top = topLosses(k);
        gallery.write(top.stream().map(MultiLabelTopLoss::index).toList(),
                top.stream().map(MultiLabelTopLoss::caption).toList(), png);
    }

    /**
     * The numbers of {@code report.json}, in order: {@code threshold}, {@code accuracy_multi},
     * {@code accuracy_multi_ci95} ([low, high]), {@code f1_samples}, {@code f1_macro}, and {@code per_label}: each
     * label → {@code precision}, {@code recall}, {@code f1}, {@code support}.
     */
    public Map<String, Object> reportMetrics() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("threshold", threshold);
        ReportNumbers.put(r, "accuracy_multi", accuracyMulti());
        r.put("f1_samples", f1Samples());
        r.put("f1_macro", f1Macro());
        Map<String, Object> perLabel = new LinkedHashMap<>();
        for (ClassReport c : report().perLabel()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("precision", c.precision());
            row.put("recall", c.recall());
            row.put("f1", c.f1());
            row.put("support", c.support());
            perLabel.put(c.label(), Collections.unmodifiableMap(row));
        }
        r.put("per_label", Collections.unmodifiableMap(perLabel));
        return Collections.unmodifiableMap(r);
    }

    private boolean predicted(int i, int j) {
        return preds.output(i, j) > threshold;
    }

    private boolean actual(int i, int j) {
        return preds.target(i, j) != 0;
    }

    /** {@code counts}: {tp, fp, fn}; support = tp + fn; a ratio with nothing to divide by is 0 (scikit-learn's). */
    private static ClassReport row(String label, int[] counts) {
        int tp = counts[0];
        int fp = counts[1];
        int fn = counts[2];
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        double f1 = tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        return new ClassReport(label, precision, recall, f1, tp + fn);
    }

    /** Per item, −mean over labels of y·ln p + (1 − y)·ln(1 − p), as BCE on the model's sigmoid outputs. */
    private static float[] binaryCrossEntropy(Predictions p) {
        float[] losses = new float[p.n()];
        for (int i = 0; i < p.n(); i++) {
            double sum = 0;
            for (int j = 0; j < p.k(); j++) {
                double prob = p.output(i, j);
                double y = p.target(i, j);
                sum -= y * Math.log(Math.max(prob, 1e-12)) + (1 - y) * Math.log(Math.max(1 - prob, 1e-12));
            }
            losses[i] = (float) (sum / p.k());
        }
        return losses;
    }
}
