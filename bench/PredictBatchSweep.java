import dev.kodiak.engine.CpuFeatures;
import dev.kodiak.engine.Engine;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.predict.PredictorOptions;
import java.nio.file.Path;
import java.util.*;

/**
 * Predictor.predictBatch of the same images with maxBatch 16, 32 and 64, round-robin in one process so that a shared
 * machine's load swings hit every size alike (the basis of PredictorOptions.DEFAULT_MAX_BATCH).
 * Usage: java -cp kodiak-cli/target/kodiak.jar bench/PredictBatchSweep.java MODEL.kodiak IMAGE_DIR IMAGES ROUNDS
 */
public class PredictBatchSweep {
    public static void main(String[] a) {
        Path model = Path.of(a[0]);
        int n = Integer.parseInt(a[2]);
        int rounds = Integer.parseInt(a[3]);
        List<RgbImage> images = new ArrayList<>();
        for (Path f : ImageFiles.find(Path.of(a[1]))) {
            images.add(ImageDecoder.standard().decode(f));
            if (images.size() == n) break;
        }
        Engine.init();
        Engine.setThreads(2);
        System.out.println("CPU: " + CpuFeatures.host().describe() + "; " + Engine.threads() + " threads; "
                + images.size() + " images per call; model " + model);
        int[] sizes = {16, 32, 64};
        Map<Integer, List<Double>> ips = new TreeMap<>();
        List<Predictor> ps = new ArrayList<>();
        for (int bs : sizes) {
            Predictor p = Predictor.load(model, PredictorOptions.defaults().maxBatch(bs));
            p.predictBatch(images.subList(0, Math.min(images.size(), 2 * bs))); // warm-up per shape
            ps.add(p);
            ips.put(bs, new ArrayList<>());
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < sizes.length; i++) {
                int k = (i + r) % sizes.length; // rotate the order so no size always runs first
                long t0 = System.nanoTime();
                ps.get(k).predictBatch(images);
                ips.get(sizes[k]).add(images.size() / ((System.nanoTime() - t0) / 1e9));
            }
        }
        ips.forEach((bs, v) -> {
            List<Double> s = new ArrayList<>(v);
            Collections.sort(s);
            System.out.printf(Locale.ROOT, "bs %2d: median %.1f img/s (min %.1f, max %.1f) over %d rounds%n", bs,
                    s.get(s.size() / 2), s.get(0), s.get(s.size() - 1), s.size());
        });
        ps.forEach(Predictor::close);
    }
}
