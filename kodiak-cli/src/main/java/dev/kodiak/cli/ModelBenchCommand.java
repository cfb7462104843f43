package dev.kodiak.cli;

import dev.kodiak.engine.Autocast;
import dev.kodiak.engine.ChannelsLast;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import dev.kodiak.learn.loss.Losses;
import dev.kodiak.learn.optim.Optimizer;
import dev.kodiak.learn.optim.Optimizers;
import dev.kodiak.vision.models.Architectures;
import dev.kodiak.vision.models.VisionModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The model step on synthetic batches: {@code train-step} (forward, loss, backward, AdamW step) and {@code infer}
 * (forward in inference mode), images per second, for comparison with PyTorch eager on the same machine
 * (bench/compare.sh runs both).
 */
abstract class ModelBenchCommand implements Runnable {
    @Option(names = "--arch", defaultValue = "resnet18", description = "resnet18 | resnet34 | resnet50 (default: ${DEFAULT-VALUE}).")
    String arch;

    @Option(names = "--bs", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int bs;

    @Option(names = "--size", defaultValue = "128", description = "Image size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--threads", description = "libtorch threads (default: the number of cores).")
    Integer threads;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32 | bf16 (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--no-channels-last", description = "Keep the NCHW memory layout.")
    boolean noChannelsLast;

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed iterations (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "10", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--json", description = "One JSON line on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    abstract String name();

    abstract boolean training();

    @Override
    public void run() {
        Output out = new Output(spec, json);
        Engine.init();
        if (threads != null) {
            Engine.setThreads(threads);
        }
        boolean bf16 = Precision.bf16(precision);
        Engine.seed(0);
        VisionModel model = VisionModel.create(Architectures.byName(arch), 10);
        if (!noChannelsLast) {
            model.channelsLast(true);
        }
        model.train(training());
        var loss = Losses.crossEntropy();
        Optimizer opt = training() ? Optimizers.adamW().create(model.parameterGroups()) : null;
        Tensor x = torch.rand(bs, 3, size, size);
        if (!noChannelsLast) {
            x = ChannelsLast.of(x);
        }
        Tensor y = Tensors.randint(0, 10, bs);
        double[] ips = new double[iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            long t0 = System.nanoTime();
            if (training()) {
                try (StepScope s = StepScope.open()) {
                    Tensor l;
                    try (Autocast a = Autocast.bf16(bf16)) {
                        l = loss.mean(model.forward(x).to(torch.ScalarType.Float), y);
                    }
                    l.backward();
                    opt.step();
                    opt.zeroGrad();
                    l.item_float();
                }
            } else {
                try (StepScope s = StepScope.open(); var g = Engine.inferenceMode(); Autocast a = Autocast.bf16(bf16)) {
                    model.forward(x).sum().item_float();
                }
            }
            if (i >= warmup) {
                ips[i - warmup] = bs / ((System.nanoTime() - t0) / 1e9);
            }
        }
        double[] sorted = ips.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        out.say("%s %s bs %d size %d %s%s, %d threads: %.1f images/s median (min %.1f, max %.1f), peak RSS %d MB",
                name(), arch, bs, size, bf16 ? "bf16" : "fp32", noChannelsLast ? "" : " channels-last", Engine.threads(),
                median, sorted[0], sorted[sorted.length - 1], PipelineBenchCommand.peakRssMb());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("benchmark", name());
        row.put("images_per_second", Map.of("min", sorted[0], "median", median, "max", sorted[sorted.length - 1]));
        row.put("peak_rss_mb", PipelineBenchCommand.peakRssMb());
        row.put("threads", Engine.threads());
        row.put("arch", arch);
        row.put("bs", bs);
        row.put("size", size);
        row.put("precision", bf16 ? "bf16" : "fp32");
        row.put("channels_last", !noChannelsLast);
        out.object(row);
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
            description = "Inference forward passes on a synthetic batch, images/second.")
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
