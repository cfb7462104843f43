package dev.kodiak.vision.interpret;

import dev.kodiak.KodiakException;
import dev.kodiak.compare.Bootstrap;
import dev.kodiak.compare.Estimate;
import dev.kodiak.compare.ItemMeasure;
import dev.kodiak.learn.metrics.Metric;
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
 * How far a regression model's numbers are from the truth: MAE, RMSE and R² with bootstrap confidence intervals
 * (overall and per target column), predicted-vs-actual and residual plots, and the items with the largest errors.
 * <pre>{@code
 * var interp = RegressionInterpretation.of(List.of("size"), preds, files);
 * System.out.println(interp.overall());        // overall: mae 1.920 (95% CI 1.610–2.250), rmse ..., r2 ...
 * interp.plotScatter(Path.of("scatter.png"));
 * interp.plotTopLosses(9, Path.of("top-losses.png"));
 * }</pre>
 * The intervals resample the items (1000 resamples, seed 42, as {@link ClassificationInterpretation#errorRate()}).
 */
public final class RegressionInterpretation {
    /** The {@link RegressionScore#target()} of the score over every column. */
    public static final String OVERALL = "overall";

    private final List<String> targets;
    private final Predictions preds;
    private final ItemGallery gallery;
    private final double confidence;
    private final int resamples;
    private final long seed;
    private List<RegressionScore> scores;   // overall first, then one per column; computed on first use

    private RegressionInterpretation(List<String> targets, Predictions preds, ItemGallery gallery, double confidence,
                                     int resamples, long seed) {
        if (!(confidence > 0 && confidence < 1) || resamples < 1) {
            throw new KodiakException("confidence must be in (0, 1) and resamples at least 1, got " + confidence
                    + " and " + resamples);
        }
        this.targets = targets;
        this.preds = preds;
        this.gallery = gallery;
        this.confidence = confidence;
        this.resamples = resamples;
        this.seed = seed;
    }

    /**
     * Predictions made elsewhere: values {@code n × k} and float targets {@code n × k}, one name per target column.
     * {@code items} (the image files, in prediction order) may be empty: everything but the top-losses plot works.
     */
    public static RegressionInterpretation of(List<String> targetNames, Predictions predictions, List<Path> items) {
        if (predictions.singleLabel()) {
            throw new KodiakException("RegressionInterpretation is for regression models; these predictions have "
                    + "single-label class targets: use ClassificationInterpretation");
        }
        if (targetNames.size() != predictions.k()) {
            throw new KodiakException("got " + targetNames.size() + " target names " + targetNames
                    + " for predictions of " + predictions.k() + " values per item");
        }
        if (new HashSet<>(targetNames).size() != targetNames.size() || targetNames.contains(OVERALL)
                || targetNames.stream().anyMatch(String::isBlank)) {
            throw new KodiakException("target names must be distinct, not blank and not '" + OVERALL + "', got "
                    + targetNames);
        }
        return new RegressionInterpretation(List.copyOf(targetNames), predictions,
                ItemGallery.decoded(items, predictions.n()), 0.95, ClassificationInterpretation.RESAMPLES,
                ClassificationInterpretation.SEED);
    }

    /** The same interpretation with other bootstrap settings (the defaults: 0.95, 1000 resamples, seed 42). */
    public RegressionInterpretation withBootstrap(double confidence, int resamples, long seed) {
        return new RegressionInterpretation(targets, preds, gallery, confidence, resamples, seed);
    }

    public List<String> targetNames() {
        return targets;
    }

    /** The predictions interpreted (values and targets). */
    public Predictions predictions() {
        return preds;
    }

    /** The evaluated image files, in prediction order (empty when none were given). */
    public List<Path> items() {
        return gallery.items();
    }

    /** MAE, RMSE and R² over every target column (R²: the mean of the columns' R², as scikit-learn's). */
    public RegressionScore overall() {
        return scores().get(0);
    }

    /** MAE, RMSE and R² of each target column, in column order (one row, equal to {@link #overall()}, when k = 1). */
    public List<RegressionScore> perTarget() {
        return scores().subList(1, scores().size());
    }

    public Estimate mae() {
        return overall().mae();
    }

    public Estimate rmse() {
        return overall().rmse();
    }

    public Estimate r2() {
        return overall().r2();
    }

    /** The {@code k} items with the largest absolute error (mean over the columns), largest first; ties: earlier. */
    public List<RegressionTopLoss> topLosses(int k) {
        double[] error = ItemMeasure.MAE.perItem(preds, 0.5);
        Integer[] order = new Integer[preds.n()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(error[b], error[a]));
        List<RegressionTopLoss> out = new ArrayList<>();
        for (int j = 0; j < Math.min(Math.max(k, 0), order.length); j++) {
            int i = order[j];
            double[] actual = new double[preds.k()];
            double[] predicted = new double[preds.k()];
            for (int c = 0; c < preds.k(); c++) {
                actual[c] = preds.target(i, c);
                predicted[c] = preds.output(i, c);
            }
            out.add(new RegressionTopLoss(i, gallery.item(i), targets, actual, predicted, error[i]));
        }
        return out;
    }

    /** Writes the predicted against the actual values, one colour per target column, with the identity line. */
    public void plotScatter(Path png) {
        Plots.predictedVsActual(targets, columns(preds.targets()), columns(preds.outputs()), png);
    }

    /** Writes the residuals (actual − predicted) against the predicted values, with the zero line. */
    public void plotResiduals(Path png) {
        Plots.residuals(targets, columns(preds.targets()), columns(preds.outputs()), png);
    }

    /** Writes the {@code k} items with the largest errors in a grid, captioned {@code actual/predicted} per column. */
    public void plotTopLosses(int k, Path png) {
        List<RegressionTopLoss> top = topLosses(k);
        gallery.write(top.stream().map(RegressionTopLoss::index).toList(),
                top.stream().map(RegressionTopLoss::caption).toList(), png);
    }

    /**
     * The numbers of {@code report.json}, in order: {@code mae}, {@code mae_ci95} ([low, high]), {@code rmse},
     * {@code rmse_ci95}, {@code r2}, {@code r2_ci95}, and with several target columns {@code per_target}: each
     * column's name → the same six keys. The suffix follows the confidence ({@code _ci90} at 0.9).
     */
    public Map<String, Object> reportMetrics() {
        Map<String, Object> r = numbers(overall());
        if (targets.size() > 1) {
            Map<String, Object> per = new LinkedHashMap<>();
            for (RegressionScore s : perTarget()) {
                per.put(s.target(), numbers(s));
            }
            r.put("per_target", Collections.unmodifiableMap(per));
        }
        return Collections.unmodifiableMap(r);
    }

    private Map<String, Object> numbers(RegressionScore s) {
        Map<String, Object> r = new LinkedHashMap<>();
        ReportNumbers.put(r, "mae", s.mae());
        ReportNumbers.put(r, "rmse", s.rmse());
        ReportNumbers.put(r, "r2", s.r2());
        return r;
    }

    private List<RegressionScore> scores() {
        if (scores == null) {
            List<RegressionScore> s = new ArrayList<>();
            s.add(score(OVERALL, preds));
            for (int j = 0; j < targets.size(); j++) {
                s.add(targets.size() == 1 ? new RegressionScore(targets.get(0), s.get(0).mae(), s.get(0).rmse(),
                        s.get(0).r2()) : score(targets.get(j), column(j)));
            }
            scores = List.copyOf(s);
        }
        return scores;
    }

    private RegressionScore score(String name, Predictions p) {
        return new RegressionScore(name, estimate(Metrics.mae(), p), estimate(Metrics.rmse(), p),
                estimate(Metrics.r2(), p));
    }

    /** The metric on all items, and its percentile interval over resampled items (the same draws for every metric). */
    private Estimate estimate(Metric metric, Predictions p) {
        return new Estimate(metric.compute(p),
                Bootstrap.interval(p.n(), drawn -> metric.compute(rows(p, drawn)), confidence, resamples, seed));
    }

    private Predictions column(int j) {
        int n = preds.n();
        float[] out = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = preds.output(i, j);
            y[i] = preds.target(i, j);
        }
        return Predictions.ofValues(1, out, y);
    }

    private static Predictions rows(Predictions p, int[] drawn) {
        int k = p.k();
        float[] out = new float[drawn.length * k];
        float[] y = new float[drawn.length * k];
        for (int r = 0; r < drawn.length; r++) {
            System.arraycopy(p.outputs(), drawn[r] * k, out, r * k, k);
            System.arraycopy(p.targets(), drawn[r] * k, y, r * k, k);
        }
        return Predictions.ofValues(k, out, y);
    }

    /** {@code columns[j][i]}: value j of item i, from a row-major {@code n × k} array. */
    private double[][] columns(float[] rowMajor) {
        int n = preds.n();
        int k = preds.k();
        double[][] c = new double[k][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                c[j][i] = rowMajor[i * k + j];
            }
        }
        return c;
    }
}
