package dev.kodiak.vision.interpret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.learn.LrFindResult;
import dev.kodiak.learn.Recorder;
import dev.kodiak.learn.lrfind.LrSuggestions;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void lrFinderCurveIsDrawnOnALogScale() throws Exception {
        int n = 60;
        double[] lrs = new double[n];
        double[] losses = new double[n];
        for (int i = 0; i < n; i++) {
            lrs[i] = 1e-7 * Math.pow(10, 8.0 * i / (n - 1));
            double x = Math.log10(lrs[i]) + 3; // a valley around 1e-3
            losses[i] = 2 - Math.exp(-x * x) + (i > n - 8 ? (i - n + 8) * 0.5 : 0);
        }
        Path png = dir.resolve("lr-find.png");
        Plots.lrFind(new LrFindResult(lrs, losses, LrSuggestions.of(lrs, losses)), png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(500);
        assertThat(Files.getPosixFilePermissions(png)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void anEmptyRecorderHasNothingToPlot() {
        assertThatThrownBy(() -> Plots.loss(new Recorder(), dir.resolve("loss.png")))
                .isInstanceOf(KodiakException.class).hasMessageContaining("no training batches");
        assertThatThrownBy(() -> Plots.confusionMatrix(List.of("a", "b"), new int[][] {{1}}, dir.resolve("c.png")))
                .isInstanceOf(KodiakException.class).hasMessageContaining("one row per class");
    }
}
