package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Autocast;
import dev.kodiak.engine.ChannelsLast;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import dev.kodiak.learn.loss.Losses;
import dev.kodiak.learn.optim.Optimizer;
import dev.kodiak.learn.optim.Optimizers;
import dev.kodiak.tensor.Tensor;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.ModelExport;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.VisionModel;
import dev.kodiak.vision.predict.Predictor;
import dev.kodiak.vision.predict.PredictorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The model step on synthetic batches: {@code train-step} (forward, loss, backward, AdamW step) and {@code infer}
 * (a loaded {@code .kodiak} predictor on a batch of images), images per second and milliseconds per batch, for
 * comparison with PyTorch eager on the same machine (bench/compare.sh runs both). {@code infer --bs 1} is the
 * single-image latency.
 */
abstract class ModelBenchCommand implements Runnable {
    @Option(names = "--arch", defaultValue = "resnet18", description = ModelOptions.ARCH_HELP)
    String arch;

    @Option(names = "--bs", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int bs;

    @Option(names = "--size", defaultValue = "128", description = "Image size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--threads", description = "libtorch threads (default: the number of cores).")
    Integer threads;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--no-channels-last", description = "Keep the NCHW memory layout.")
    boolean noChannelsLast;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed iterations (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "10", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Mixin
    JsonOption json;

    @Option(names = "--model", paramLabel = "FILE",
            description = "infer only: time this .kodiak file (its architecture and input size) instead of an untrained one.")
    Path modelFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    abstract String name();

    abstract boolean training();

    @Override
    public void run() {
        Output out = new Output(spec, json.on);
        Engine.init();
        if (threads != null) {
            Engine.setThreads(threads);
        }
        boolean bf16 = precision.choose(out).bf16();
        Engine.seed(0);
        double[] seconds = training() ? trainSteps(bf16) : predictions(bf16);
        double[] ips = new double[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            ips[i] = bs / seconds[i];
        }
        Arrays.sort(ips);
        double[] ms = Arrays.stream(seconds).map(s -> s * 1000).sorted().toArray();
        BenchMachine.say(out);
        out.say("%s %s bs %d size %d %s%s, %d threads: %.1f images/s median (min %.1f, max %.1f); %.1f ms per batch "
                        + "p50, %.1f ms p99; peak RSS %d MB", name(), arch, bs, size, bf16 ? "bf16" : "fp32",
                noChannelsLast ? "" : " channels-last", Engine.threads(), percentile(ips, 50), ips[0],
                ips[ips.length - 1], percentile(ms, 50), percentile(ms, 99), PipelineBenchCommand.peakRssMb());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("benchmark", name());
        row.put("images_per_second", Map.of("min", ips[0], "median", percentile(ips, 50), "max", ips[ips.length - 1]));
        row.put("latency_ms", Map.of("p50", percentile(ms, 50), "p99", percentile(ms, 99)));
        row.put("peak_rss_mb", PipelineBenchCommand.peakRssMb());
        row.put("threads", Engine.threads());
        row.put("arch", arch);
        row.put("bs", bs);
        row.put("size", size);
        row.put("precision", bf16 ? "bf16" : "fp32");
        row.put("channels_last", !noChannelsLast);
        row.put("cpu", BenchMachine.json());
        out.object(row);
    }

    // Seconds per training step (forward, loss, backward, AdamW step) on one synthetic batch.
    private double[] trainSteps(boolean bf16) {
        VisionModel model = VisionModel.create(Architectures.byName(arch), 10);
        if (!noChannelsLast) {
            model.channelsLast(true);
        }
        model.train(true);
        var loss = Losses.crossEntropy();
        Optimizer opt = Optimizers.adamW().create(model.parameterGroups());
        Tensor x = Tensor.rand(bs, 3, size, size);
        if (!noChannelsLast) {
            x = NativeTensors.wrap(ChannelsLast.of(NativeTensors.unwrap(x)));
        }
        Tensor y = NativeTensors.wrap(Tensors.randint(0, 10, bs));
        double[] seconds = new double[iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            long t0 = System.nanoTime();
            try (StepScope s = StepScope.open()) {
                Tensor l;
                try (Autocast a = Autocast.bf16(bf16)) {
                    l = loss.mean(model.forward(x).toFloat(), y);
                }
                l.backward();
                opt.step();
                opt.zeroGrad();
                l.item();
            }
            if (i >= warmup) {
                seconds[i - warmup] = (System.nanoTime() - t0) / 1e9;
            }
        }
        return seconds;
    }

    // Seconds per Predictor.predictBatch of bs images: a loaded .kodiak file (BatchNorm folded), from the raw
    // 8-bit pixels to the probabilities, i.e. everything a caller waits for except decoding and resizing.
    private double[] predictions(boolean bf16) {
        Path file = modelFile;
        Path temp = null;
        try {
            if (file == null) {
                temp = Files.createTempFile("kodiak-bench-", ".kodiak");
                file = temp;
                VisionModel net = VisionModel.create(Architectures.byName(arch), 10);
                try {
                    List<String> labels = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        labels.add("class" + i);
                    }
                    ModelExport.writeUntrained(net, labels, size, file);
                } finally {
                    net.release();
                }
            }
            PredictorOptions options = PredictorOptions.defaults().maxBatch(bs).bf16(bf16).channelsLast(!noChannelsLast);
            try (Predictor predictor = Predictor.load(file, options)) {
                int[] hw = predictor.inputSize();
                size = hw[0];
                arch = predictor.manifest().model().architecture();
                Random random = new Random(0);
                List<RgbImage> images = new ArrayList<>();
                for (int i = 0; i < bs; i++) {
                    byte[] pixels = new byte[hw[0] * hw[1] * 3];
                    random.nextBytes(pixels);
                    images.add(new RgbImage(hw[1], hw[0], pixels));
                }
                double[] seconds = new double[iterations];
                for (int i = 0; i < warmup + iterations; i++) {
                    long t0 = System.nanoTime();
                    predictor.predictBatch(images);
                    if (i >= warmup) {
                        seconds[i - warmup] = (System.nanoTime() - t0) / 1e9;
                    }
                }
                return seconds;
            }
        } catch (IOException e) {
            throw new KodiakException("cannot write the benchmark's model file: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** The p-th percentile of sorted values (nearest rank). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    @CommandLine.Command(name = "train-step", mixinStandardHelpOptions = true,
            description = "Training steps (forward, loss, backward, AdamW) on a synthetic batch, images/second.")
    static final class TrainStep extends ModelBenchCommand {
        @Override
        String name() {
            return "train-step";
        }

        @Override
        boolean training() {
            return true;
        }
    }

    @CommandLine.Command(name = "infer", mixinStandardHelpOptions = true,
            description = "Predictions of a loaded .kodiak model on a batch of images, images/second and latency.")
    static final class Infer extends ModelBenchCommand {
        @Override
        String name() {
            return "infer";
        }

        @Override
        boolean training() {
            return false;
        }
    }
}
