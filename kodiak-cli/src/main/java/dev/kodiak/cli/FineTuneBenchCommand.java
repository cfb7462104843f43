package dev.kodiak.cli;

import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.engine.Engine;
import dev.kodiak.learn.Callback;
import dev.kodiak.learn.EpochResult;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.transforms.Augment;
import dev.kodiak.vision.transforms.Resize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole of {@code fineTune(epochs)} on an image folder, as {@code kodiak train} would run it, timed per phase
 * (frozen, unfrozen): wall time, training images per second and the share of training time spent waiting for
 * batches. Unlike {@code train}, the starting weights default to none, so it runs offline.
 */
@Command(name = "fine-tune", mixinStandardHelpOptions = true, defaultValueProvider = FineTuneBenchCommand.Defaults.class,
        description = {"Wall time, training images/second and data-wait fraction of each phase of fineTune on an "
                + "image folder (frozen, then unfrozen), plus total time and peak RSS.",
                "Nothing is written; --weights defaults to none (random weights, same work per step)."})
final class FineTuneBenchCommand implements Runnable {
    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions net;

    @Option(names = "--epochs", defaultValue = "1", description = "Unfrozen epochs, after the one frozen epoch (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--threads", description = "libtorch threads (default: the number of cores).")
    Integer threads;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--workers", description = "Loader threads: decoding, transforms and augmentation (default: the number of cores).")
    Integer workers;

    @Option(names = "--augment", description = "Standard augmentations: flip, rotate, zoom, warp, lighting.")
    boolean augment;

    @Mixin
    JsonOption json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code --weights none} unless given: a benchmark must not depend on a download or a cache. */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            return arg instanceof CommandLine.Model.OptionSpec o && "--weights".equals(o.longestName()) ? "none" : null;
        }
    }

    @Override
    public void run() {
        if (epochs < 1 || net.bs < 1 || net.size < 16 || net.size > 1024) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--epochs and --bs must be at least 1 and --size between 16 and 1024");
        }
        Output out = new Output(spec, json.on);
        Engine.init();
        if (threads != null) {
            Engine.setThreads(threads);
        }
        boolean bf16 = precision.choose(out).bf16();
        List<ItemTransform<RgbImage>> items = List.of(Resize.to(net.size));
        List<BatchTransform> batch = augment ? List.of(Augment.standard()) : List.of();
        LoaderOptions options = LoaderOptions.defaults().withBatchSize(net.bs).withSeed(data.seed)
                .withWorkers(workers != null ? workers : Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        try (DataLoaders<RgbImage> dls = data.block(items, batch).dataLoaders(data.dataDir(), options)) {
            VisionLearnerOptions lo = VisionLearnerOptions.defaults().weights(PretrainedChoice.of(net.weights))
                    .bf16(bf16).seed(data.seed).metrics(List.of(Metrics.errorRate()))
                    .warnings(message -> out.warn("%s", message));
            Learner learn = VisionLearner.create(dls, Architectures.byName(net.arch), lo);
            learn.log(out.humanStream());
            PhaseTimer timer = new PhaseTimer();
            learn.addCallback(timer);
            BenchMachine.say(out);
            out.say("fine-tune: %s, %d train / %d valid images, %s from %s weights, bs %d, size %d, %s, %d threads, "
                            + "%d workers%s", data.dataDir(), dls.train().size(), dls.valid().size(), net.arch,
                    learn.pretrainedWith(), net.bs, net.size, bf16 ? "bf16" : "fp32", Engine.threads(),
                    options.workers(), augment ? ", augmented" : "");
            learn.fineTune(epochs);
            double total = (System.nanoTime() - t0) / 1e9;
            List<Map<String, Object>> phases = new ArrayList<>();
            for (String phase : timer.wallSeconds.keySet()) {
                List<EpochResult> rows = learn.recorder().epochs().stream().filter(r -> r.phase().equals(phase)).toList();
                double trainSeconds = rows.stream().mapToDouble(EpochResult::trainSeconds).sum();
                long images = timer.images.getOrDefault(phase, 0L);
                double ips = images / trainSeconds;
                double wait = EpochResult.dataWaitFraction(rows);
                double wall = timer.wallSeconds.get(phase);
                out.say("%-9s %7.1f s, %7.1f training images/s, %4.1f%% of training time waiting for data",
                        phase, wall, ips, 100 * wait);
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("phase", phase);
                p.put("seconds", wall);
                p.put("images_per_second", ips);
                p.put("data_wait_fraction", wait);
                p.put("images", images);
                p.put("train_seconds", trainSeconds);
                phases.add(p);
            }
            long rss = PipelineBenchCommand.peakRssMb();
            out.say("total     %7.1f s (with data indexing and model set-up), peak RSS %d MB", total, rss);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", "fine-tune");
            row.put("cpu", BenchMachine.json());
            row.put("phases", phases);
            row.put("seconds", total);
            row.put("peak_rss_mb", rss);
            row.put("threads", Engine.threads());
            row.put("workers", options.workers());
            row.put("arch", net.arch);
            row.put("bs", net.bs);
            row.put("size", net.size);
            row.put("precision", bf16 ? "bf16" : "fp32");
            row.put("weights", learn.pretrainedWith());
            row.put("epochs", epochs);
            row.put("train_images", dls.train().size());
            row.put("dataset", data.dataDir().toString());
            out.object(row);
        }
    }

    /** Per phase (the learner's {@code phase()} while a fit runs): wall time of its fits and images trained on. */
    private static final class PhaseTimer implements Callback {
        final Map<String, Double> wallSeconds = new LinkedHashMap<>();
        final Map<String, Long> images = new LinkedHashMap<>();
        private long fitStart;

        @Override
        public void beforeFit(Learner learn) {
            fitStart = System.nanoTime();
        }

        @Override
        public void afterBatch(Learner learn) {
            if (learn.training() && learn.batchLoss() != null) {
                images.merge(learn.phase(), (long) learn.batch().size(), Long::sum);
            }
        }

        @Override
        public void afterFit(Learner learn) {
            wallSeconds.merge(learn.phase(), (System.nanoTime() - fitStart) / 1e9, Double::sum);
        }
    }
}
