package dev.kodiak.vision.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.io.AtomicFiles;
import dev.kodiak.learn.LrFindResult;
import dev.kodiak.learn.lrfind.Suggestion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The learning-rate finder's curve (smoothed loss against log learning rate) with the suggestions marked. */
public final class LrFindPlot {
    private LrFindPlot() {
    }

    public static void write(LrFindResult result, Path png) {
        if (result.lrs().length < 2) {
            throw new KodiakException("the learning-rate finder recorded fewer than two points: nothing to plot");
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title("Learning rate finder")
                .xAxisTitle("learning rate (log scale)").yAxisTitle("smoothed loss").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        XYSeries curve = chart.addSeries("loss", result.lrs(), finite(result.losses()));
        curve.setMarker(SeriesMarkers.NONE);
        var s = result.suggestions();
        for (Suggestion sug : List.of(s.valley(), s.slide(), s.minimum(), s.steep())) {
            if (sug == null || !(sug.lr() > 0)) {
                continue;
            }
            double y = Double.isFinite(sug.pointLoss()) ? sug.pointLoss() : curve.getYMin();
            XYSeries point = chart.addSeries(String.format(java.util.Locale.ROOT, "%s %.2e", sug.method(), sug.lr()),
                    new double[] {sug.pointLr() > 0 ? sug.pointLr() : sug.lr()}, new double[] {y});
            point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        Path tmp = null;
        try {
            Path dir = png.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".lr-find", ".png");
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.move(tmp, png);
        } catch (IOException e) {
            if (tmp != null) {
                AtomicFiles.deleteQuietly(tmp);
            }
            throw new KodiakException("cannot write the plot " + png + ": " + e.getMessage(), e);
        }
    }

    private static double[] finite(double[] values) {
        double max = Arrays.stream(values).filter(Double::isFinite).max().orElse(1);
        return Arrays.stream(values).map(v -> Double.isFinite(v) ? v : max).toArray();
    }
}
