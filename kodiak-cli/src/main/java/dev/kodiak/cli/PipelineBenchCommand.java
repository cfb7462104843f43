package dev.kodiak.cli;

import dev.kodiak.data.Batch;
import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import dev.kodiak.vision.ImageBlock;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.Images;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.transforms.Augment;
import dev.kodiak.vision.transforms.Normalize;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.transforms.Resize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Data pipeline throughput: decode + resize + augment + normalize + batch, in images per second, for each
 * worker count; the first worker count is the baseline the others are compared with.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Images/second of decode + resize + augment + batch, for several worker counts.")
final class PipelineBenchCommand implements Runnable {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "Images (default: the demo data).")
    Path dir;

    @Option(names = "--generate-jpegs", paramLabel = "N",
            description = "Instead of DIR, generate N photo-like 500x375 JPEGs in a temporary folder.")
    int generate;

    @Option(names = "--workers", split = ",", defaultValue = "1,2", description = "Worker counts (default: ${DEFAULT-VALUE}).")
    List<Integer> workers;

    @Option(names = "--size", defaultValue = "128", description = "Output image size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--bs", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int bs;

    @Option(names = "--rounds", defaultValue = "3", description = "Timed passes over the data (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--threads", description = "libtorch threads of the consuming thread (default: the number of "
            + "cores); each loader thread uses one.")
    Integer threads;

    // Accepted so that one command line (--arch A --precision P ...) serves every bench verb; the pipeline runs no
    // model, so neither changes what it measures. Hidden from --help for that reason.
    @Option(names = "--arch", hidden = true)
    String arch;

    @Option(names = "--precision", hidden = true)
    String precision;

    @Option(names = "--no-augment", description = "Leave out the batch augmentations.")
    boolean noAugment;

    @Option(names = "--cache", description = "Keep decoded images between passes, as training does (default: decode "
            + "every pass, like a PyTorch DataLoader).")
    boolean cache;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output out = new Output(spec, json.on);
        Engine.init();
        if (threads != null) {
            Engine.setThreads(threads);
        }
        if (arch != null) {
            Architectures.byName(arch); // a misspelt name is still an error
        }
        if (precision != null) {
            PrecisionOption.parse(precision); // a misspelt value is still an error
        }
        Path data;
        try {
            data = generate > 0 ? generateJpegs(generate) : KodiakHome.dataOrDemo(dir);
        } catch (IOException e) {
            throw new dev.kodiak.KodiakException("cannot generate benchmark images: " + e.getMessage(), e);
        }
        List<BatchTransform> batch = new ArrayList<>();
        if (!noAugment) {
            batch.add(Augment.standard());
        }
        batch.add(Normalize.imagenet());
        DataBlock<RgbImage> block = DataBlock.builder().blocks(ImageBlock.rgb(), CategoryBlock.create())
                .items(ImageFiles::find).splitter(Splitters.random(0.01, 42)).label(Labels.parentFolder())
                .itemTransforms(Resize.to(size)).batchTransforms(batch).build();
        BenchMachine.say(out);
        out.say("pipeline: %s, size %d, batch %d, %s, %d libtorch threads, %d cores", data, size, bs,
                noAugment ? "no augmentation" : "Augment.standard()", Engine.threads(),
                Runtime.getRuntime().availableProcessors());
        double baseline = Double.NaN;
        try {
            for (int w : workers) {
                baseline = report(out, block, data, w, baseline);
            }
        } finally {
            if (generate > 0) {
                deleteTree(data);
            }
        }
    }

    private double report(Output out, DataBlock<RgbImage> block, Path data, int w, double baselineSoFar) {
        double baseline = baselineSoFar;
        {
            double[] ips = measure(block, data, w);
            double median = median(ips);
            if (Double.isNaN(baseline)) {
                baseline = median;
            }
            out.say("workers %2d: %7.1f images/s median (min %.1f, max %.1f), %.2fx the first, peak RSS %d MB",
                    w, median, Arrays.stream(ips).min().orElse(0), Arrays.stream(ips).max().orElse(0),
                    median / baseline, peakRssMb());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", "pipeline");
            row.put("images_per_second", Map.of("min", Arrays.stream(ips).min().orElse(0), "median", median,
                    "max", Arrays.stream(ips).max().orElse(0)));
            row.put("peak_rss_mb", peakRssMb());
            row.put("threads", Engine.threads());
            row.put("workers", w);
            row.put("bs", bs);
            row.put("size", size);
            row.put("dataset", data.toString());
            row.put("cpu", BenchMachine.json());
            out.object(row);
        }
        return baseline;
    }

    private static void deleteTree(Path root) {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }

    private double[] measure(DataBlock<RgbImage> block, Path data, int w) {
        // no decoded-item cache unless asked: every pass decodes every file, as a PyTorch DataLoader does
        LoaderOptions defaults = LoaderOptions.defaults();
        LoaderOptions options = defaults.withBatchSize(bs).withWorkers(w).withCacheBytes(cache ? defaults.cacheBytes() : 0);
        try (DataLoaders<RgbImage> dls = block.dataLoaders(data, options)) {
            pass(dls, 0); // warm-up: JIT, buffer pool, libtorch kernels
            double[] ips = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                int n = pass(dls, r + 1);
                ips[r] = n / ((System.nanoTime() - t0) / 1e9);
            }
            return ips;
        }
    }

    private static int pass(DataLoaders<RgbImage> dls, int epoch) {
        int n = 0;
        Iterator<Batch> it = dls.train().epoch(epoch).iterator();
        while (it.hasNext()) {
            try (StepScope scope = StepScope.open()) {
                n += it.next().size();
            }
        }
        return n;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Photo-like JPEGs (smooth gradients plus noise and shapes, quality 0.9), two labels, 500x375. */
    private static Path generateJpegs(int n) throws IOException {
        Path root = Files.createTempDirectory("kodiak-bench-");
        Random r = new Random(7);
        for (int i = 0; i < n; i++) {
            int w = 500;
            int h = 375;
            byte[] px = new byte[w * h * 3];
            int cx = r.nextInt(w);
            int cy = r.nextInt(h);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double d = Math.hypot(x - cx, y - cy) / 300.0;
                    int base = (y * w + x) * 3;
                    px[base] = (byte) Math.max(0, Math.min(255, 200 - d * 120 + r.nextInt(30)));
                    px[base + 1] = (byte) Math.max(0, Math.min(255, 80 + (x * 120 / w) + r.nextInt(30)));
                    px[base + 2] = (byte) Math.max(0, Math.min(255, 60 + (y * 150 / h) + r.nextInt(30)));
                }
            }
            Path f = root.resolve(i % 2 == 0 ? "a" : "b").resolve(String.format("img%04d.jpg", i));
            Files.createDirectories(f.getParent());
            Images.writeJpeg(new RgbImage(w, h, px), f, 0.9);
        }
        return root;
    }
}
