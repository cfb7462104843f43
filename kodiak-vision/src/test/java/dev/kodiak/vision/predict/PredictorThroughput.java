package dev.kodiak.vision.predict;

import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures a model file's prediction speed (not a test): {@code PredictorThroughput MODEL IMAGE_DIR}. Prints the
 * median single-image latency and the batch throughput, with and without BatchNorm folding.
 */
public final class PredictorThroughput {
    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        List<RgbImage> images = new ArrayList<>();
        for (Path f : ImageFiles.find(Path.of(args[1]))) {
            images.add(ImageDecoder.standard().decode(f));
            if (images.size() == 256) {
                break;
            }
        }
        for (boolean fold : new boolean[] {false, true, false, true}) {
            try (Predictor p = Predictor.load(model, PredictorOptions.defaults().foldBatchNorm(fold))) {
                for (int i = 0; i < 5; i++) {
                    p.predict(images.get(i)); // warm-up: oneDNN builds its kernels per input shape
                }
                p.predictBatch(images.subList(0, 64));
                double[] ms = new double[50];
                for (int i = 0; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    p.predict(images.get(i % images.size()));
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                long t0 = System.nanoTime();
                int n = 0;
                for (int r = 0; r < 3; r++) {
                    for (int s = 0; s + 64 <= images.size(); s += 64) {
                        n += p.predictBatch(images.subList(s, s + 64)).size();
                    }
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf("fold=%s  single-image median %.1f ms (p90 %.1f)  batch-64 %.0f images/s%n", fold,
                        ms[ms.length / 2], ms[ms.length * 9 / 10], n / seconds);
            }
        }
    }
}
