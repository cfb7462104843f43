package dev.kodiak.vision.interpret;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.EpochResult;
import dev.kodiak.learn.LrFindResult;
import dev.kodiak.learn.Recorder;
import dev.kodiak.vision.Images;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Charts as PNG files (drawn with XChart, headless): the training losses, the learning-rate schedule, the
 * learning-rate finder's curve, a confusion matrix, a regression's predicted-vs-actual and residual plots and a
 * multi-label model's per-label scores. Files are written atomically.
 */
public final class Plots {
    private Plots() {
    }

    /** Training loss per batch (raw and smoothed) and validation loss at the end of each epoch. */
    public static void loss(Recorder recorder, Path png) {
        List<Double> raw = recorder.losses();
        if (raw.isEmpty()) {
            throw new KodiakException("nothing to plot: the recorder holds no training batches yet");
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Loss").xAxisTitle("batch")
                .yAxisTitle("loss").build();
        style(chart);
        chart.addSeries("train (raw)", batches(raw.size()), raw).setMarker(SeriesMarkers.NONE)
                .setLineColor(new Color(150, 180, 220));
        chart.addSeries("train (smoothed)", batches(raw.size()), recorder.smoothLosses()).setMarker(SeriesMarkers.NONE)
                .setLineColor(new Color(31, 119, 180));
        List<EpochResult> epochs = recorder.epochs();
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        double perEpoch = (double) raw.size() / Math.max(1, epochs.size());
        for (int e = 0; e < epochs.size(); e++) {
            if (!Double.isNaN(epochs.get(e).validLoss())) {
                x.add((e + 1) * perEpoch);
                y.add(epochs.get(e).validLoss());
            }
        }
        if (!x.isEmpty()) {
            XYSeries valid = chart.addSeries("valid", x, y);
            valid.setLineColor(new Color(255, 127, 14));
            valid.setMarkerColor(new Color(255, 127, 14));
            valid.setMarker(SeriesMarkers.CIRCLE);
        }
        write(chart, png);
    }

    /** Learning rate per batch of the first parameter group and of the head (the last group), and momentum. */
    public static void lr(Recorder recorder, Path png) {
        List<Double> first = recorder.lrs(0);
        if (first.isEmpty()) {
            throw new KodiakException("nothing to plot: the recorder holds no training batches yet");
        }
        List<Double> head = recorder.lrs(Integer.MAX_VALUE);
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Learning rate schedule").xAxisTitle("batch")
                .yAxisTitle("learning rate").build();
        style(chart);
        if (head.equals(first)) {
            chart.addSeries("lr", batches(first.size()), first).setMarker(SeriesMarkers.NONE);
        } else {
            chart.addSeries("lr (head)", batches(head.size()), head).setMarker(SeriesMarkers.NONE);
            chart.addSeries("lr (first group)", batches(first.size()), first).setMarker(SeriesMarkers.NONE);
        }
        write(chart, png);
    }

    /** The learning-rate finder's smoothed loss against the learning rate (log scale), with the valley marked. */
    public static void lrFind(LrFindResult result, Path png) {
        if (result.lrs().length == 0) {
            throw new KodiakException("nothing to plot: the learning-rate finder recorded no batches");
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Learning rate finder")
                .xAxisTitle("learning rate (log scale)").yAxisTitle("loss").build();
        style(chart);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.addSeries("loss", result.lrs(), result.losses()).setMarker(SeriesMarkers.NONE);
        if (result.suggestions() != null && result.suggestions().valley() != null) {
            double lr = result.suggestions().valley().lr();
            double loss = lossAt(result, lr);
            XYSeries s = chart.addSeries(String.format(java.util.Locale.ROOT, "valley %.2e", lr),
                    new double[] {lr}, new double[] {loss});
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(Color.RED);
        }
        write(chart, png);
    }

    /** A confusion matrix {@code m[actual][predicted]} as a heat map with the counts written in the cells. */
    public static void confusionMatrix(List<String> vocab, int[][] m, Path png) {
        int k = vocab.size();
        if (k == 0 || m.length != k) {
            throw new KodiakException("a confusion matrix needs one row per class: " + k + " classes, " + m.length + " rows");
        }
        int side = Math.min(1600, 260 + 70 * k);
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 120).height(side).title("Confusion matrix")
                .xAxisTitle("Predicted").yAxisTitle("Actual").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, k > 20 ? 9 : 14));
        chart.getStyler().setValueFontColor(Color.BLACK);
        chart.getStyler().setRangeColors(new Color[] {new Color(247, 251, 255), new Color(107, 174, 214),
                new Color(8, 48, 107)});
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(k > 6 ? 45 : 0);
        chart.getStyler().setHeatMapValueDecimalPattern("#");
        int max = 0;
        for (int[] row : m) {
            for (int v : row) {
                max = Math.max(max, v);
            }
        }
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(Math.max(1, max));
        // the y axis runs upwards; list the classes reversed so the first actual class is the top row
        List<String> rows = new ArrayList<>(vocab);
        java.util.Collections.reverse(rows);
        List<Number[]> cells = new ArrayList<>();
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < k; p++) {
                cells.add(new Number[] {p, k - 1 - a, m[a][p]});
            }
        }
        chart.addSeries("count", vocab, rows, cells);
        write(chart, png);
    }

    /**
     * Regression: predicted against actual values, one series of points per target column
     * ({@code actual[j][i]}, {@code predicted[j][i]}: column j, item i), with the identity line where perfect
     * predictions lie.
     */
    public static void predictedVsActual(List<String> targets, double[][] actual, double[][] predicted, Path png) {
        checkColumns(targets, actual, predicted);
        XYChart chart = new XYChartBuilder().width(800).height(600).title("Predicted vs actual").xAxisTitle("actual")
                .yAxisTitle("predicted").build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < targets.size(); j++) {
            for (double v : actual[j]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            for (double v : predicted[j]) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        XYSeries identity = chart.addSeries("predicted = actual", new double[] {lo, hi}, new double[] {lo, hi});
        identity.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        identity.setMarker(SeriesMarkers.NONE);
        identity.setLineColor(Color.GRAY);
        points(chart, targets, actual, predicted);
        write(chart, png);
    }

    /**
     * Regression: the residual (actual − predicted) against the predicted value, one series per target column, with
     * the zero line; a pattern around the line (a slope, a funnel) shows what the model misses.
     */
    public static void residuals(List<String> targets, double[][] actual, double[][] predicted, Path png) {
        checkColumns(targets, actual, predicted);
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Residuals").xAxisTitle("predicted")
                .yAxisTitle("actual − predicted").build();
        style(chart);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double[][] residuals = new double[targets.size()][];
        for (int j = 0; j < targets.size(); j++) {
            residuals[j] = new double[actual[j].length];
            for (int i = 0; i < actual[j].length; i++) {
                residuals[j][i] = actual[j][i] - predicted[j][i];
                lo = Math.min(lo, predicted[j][i]);
                hi = Math.max(hi, predicted[j][i]);
            }
        }
        XYSeries zero = chart.addSeries("zero", new double[] {lo, hi}, new double[] {0, 0});
        zero.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(Color.GRAY);
        points(chart, targets, predicted, residuals);
        write(chart, png);
    }

    /** Multi-label: precision, recall and F1 of every label as grouped bars. */
    public static void perLabel(List<ClassReport> labels, Path png) {
        if (labels.isEmpty()) {
            throw new KodiakException("nothing to plot: there are no labels");
        }
        List<String> names = labels.stream().map(ClassReport::label).toList();
        CategoryChart chart = new CategoryChartBuilder().width(Math.min(2400, Math.max(800, 160 + 60 * names.size())))
                .height(500).title("Per label").xAxisTitle("label").yAxisTitle("score").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setPlotGridLinesColor(new Color(230, 230, 230));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisLabelRotation(names.size() > 8 ? 45 : 0);
        chart.addSeries("precision", names, labels.stream().map(ClassReport::precision).toList());
        chart.addSeries("recall", names, labels.stream().map(ClassReport::recall).toList());
        chart.addSeries("f1", names, labels.stream().map(ClassReport::f1).toList());
        write(chart, png);
    }

    private static void checkColumns(List<String> targets, double[][] x, double[][] y) {
        if (targets.isEmpty() || x.length != targets.size() || y.length != targets.size()) {
            throw new KodiakException("a regression chart needs one column of values per target: " + targets.size()
                    + " targets, " + x.length + " and " + y.length + " columns");
        }
        if (x[0].length == 0) {
            throw new KodiakException("nothing to plot: there are no predictions");
        }
    }

    private static void points(XYChart chart, List<String> names, double[][] x, double[][] y) {
        for (int j = 0; j < names.size(); j++) {
            XYSeries s = chart.addSeries(names.get(j), x[j], y[j]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
    }

    private static List<Integer> batches(int n) {
        List<Integer> x = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            x.add(i);
        }
        return x;
    }

    private static double lossAt(LrFindResult r, double lr) {
        int best = 0;
        for (int i = 1; i < r.lrs().length; i++) {
            if (Math.abs(Math.log(r.lrs()[i] / lr)) < Math.abs(Math.log(r.lrs()[best] / lr))) {
                best = i;
            }
        }
        return r.losses()[best];
    }

    private static void style(XYChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setPlotGridLinesColor(new Color(230, 230, 230));
    }

    private static void write(Chart<?, ?> chart, Path png) {
        BufferedImage image;
        try {
            image = BitmapEncoder.getBufferedImage(chart);
        } catch (RuntimeException | LinkageError e) {
            throw new KodiakException("cannot draw the chart for " + png + ": " + e, e);
        }
        Images.writePng(image, png);
    }
}
