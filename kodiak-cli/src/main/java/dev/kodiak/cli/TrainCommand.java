package dev.kodiak.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.KodiakException;
import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Datasets;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.engine.distributed.DistributedGroup;
import dev.kodiak.learn.Callback;
import dev.kodiak.learn.Checkpoint;
import dev.kodiak.learn.EarlyStopping;
import dev.kodiak.learn.EpochResult;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.MixedPrecision;
import dev.kodiak.learn.Recipe;
import dev.kodiak.learn.RecipeJson;
import dev.kodiak.learn.SeedRuns;
import dev.kodiak.learn.Task;
import dev.kodiak.learn.TaskDefaults;
import dev.kodiak.learn.YRange;
import dev.kodiak.learn.metrics.ThresholdSearch;
import dev.kodiak.learn.callbacks.CutMix;
import dev.kodiak.learn.callbacks.GradientAccumulation;
import dev.kodiak.learn.callbacks.MixUp;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.io.AtomicFiles;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.CsvImageData;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.interpret.ClassificationInterpretation;
import dev.kodiak.vision.interpret.ErrorRate;
import dev.kodiak.vision.interpret.Plots;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.transforms.Augment;
import dev.kodiak.vision.transforms.Resize;
import dev.kodiak.vision.transforms.ResizeMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kodiak train}: fine-tune a pretrained ResNet (or train from scratch) and write the model file. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train an image model (single-label, multi-label or regression) and export it as one .kodiak file.",
                "With pretrained weights: fastai's fine_tune (one frozen epoch on the head, then all layers with "
                        + "discriminative learning rates). With --weights none: fit_one_cycle for all epochs."})
final class TrainCommand implements Runnable, CommandLine.IExitCodeGenerator {
    @Mixin
    DataOptions data;

    @Mixin
    ModelOptions net;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs (after the frozen ones) (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--freeze-epochs", defaultValue = "1", description = "Frozen epochs of fine-tuning (default: ${DEFAULT-VALUE}).")
    int freezeEpochs;

    @Option(names = "--lr", description = "fine_tune's base LR (default 2e-3), or fit_one_cycle's peak LR with "
            + "--weights none (default 1e-3).")
    Double lr;

    @Option(names = "--resize", defaultValue = "crop", description = "crop | pad | squish (default: ${DEFAULT-VALUE}).")
    String resize;

    @Option(names = "--augment", description = "Standard augmentations: images flip, rotate, zoom, warp, lighting; sound time shift, gain, "
            + "frequency and time masks (docs/audio.md).")
    boolean augment;

    @Option(names = "--metrics", description = "Comma-separated: error_rate, accuracy, top_5_accuracy, f1_score, "
            + "accuracy_multi, f1_samples, f1_macro, mse, mae, rmse, r2 (default, by task: error_rate,accuracy; "
            + "accuracy_multi,f1_samples,f1_macro; mae,rmse,r2).")
    String metrics;

    @Option(names = "--y-range", paramLabel = "LO,HI[;LO,HI...]", description = "Regression: squash the outputs into "
            + "LO..HI (fastai's sigmoid_range): one pair for every target column, or one pair per column separated by "
            + "';' (default: each column's training targets' range widened by 5%% on each side, printed).")
    String yRange;

    @Option(names = "--threshold", paramLabel = "P|auto", description = "Multi-label: the probability from which "
            + "predict gives a label, stored in the model (default 0.5; auto: the value in 0.05..0.95 that maximizes "
            + "f1_samples on the validation set, printed and flagged as tuned).")
    String threshold;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--early-stop", paramLabel = "PATIENCE", description = "Stop after PATIENCE epochs without a better valid_loss.")
    Integer earlyStop;

    @Option(names = "--mixup", paramLabel = "ALPHA", description = "MixUp, fastai's: blend each training image and its "
            + "loss with a random partner's, with a weight drawn from Beta(ALPHA, ALPHA) per image; fastai uses 0.4. "
            + "Regularizes: it pays off over longer runs.")
    Double mixup;

    @Option(names = "--cutmix", paramLabel = "ALPHA", description = "CutMix, fastai's: paste a random box of a partner "
            + "image into each training image, the two labels' losses weighed by the box's area (drawn from Beta(ALPHA, "
            + "ALPHA)); fastai uses 1.0. Not together with --mixup.")
    Double cutmix;

    @Option(names = "--accumulate", paramLabel = "N", description = "Gradient accumulation: one optimizer step every N "
            + "batches, as with batches N times larger (--bs x N) in the memory of one (default: 1, a step every batch).")
    Integer accumulate;

    @Option(names = "--resume", paramLabel = "CHECKPOINT", description = "Continue an interrupted run from its checkpoint "
            + "(MODEL.kodiak.ckpt, written after every epoch) to the same weights as an uninterrupted run; the options "
            + "saved in it are used (giving others is an error).")
    Path resume;

    @Option(names = "--seeds", paramLabel = "S,S,...", description = "Train once per training seed (e.g. 1,2,3): "
            + "initialisation, shuffling, augmentation and dropout change, the split stays that of --seed. Prints every "
            + "run's metrics with their mean, standard deviation and range (the seed-to-seed noise a comparison must "
            + "clear) and writes MODEL-seedS.kodiak for each.")
    String seeds;

    @Option(names = "--resplit", description = "With --seeds: draw each run's validation split with its seed too.")
    boolean resplit;

    @Option(names = "--workers", description = "Loader threads: decoding, transforms and augmentation (default: the number of cores).")
    Integer workers;

    @Option(names = "--out", paramLabel = "MODEL.kodiak", description = "Where to write the model (default: <DIR name>.kodiak).")
    Path out;

    @Option(names = "--plots", paramLabel = "DIR", description = "Also write loss.png (training and validation loss) "
            + "and lr.png (learning-rate schedule) into DIR.")
    Path plots;

    @Mixin
    JsonOption json;

    @Mixin
    ParallelOptions parallel;

    @Mixin
    InputOptions inputs;

    private DistributedGroup group; // null when training alone
    private int exitCode; // with --processes: the ranks' (each printed its own error)

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // the training seed of a resumed run when its checkpoint came from --seeds (else --seed trains as well as splits)
    private Long resumedTrainSeed;

    @Override
    public void run() {
        Output o = new Output(spec, json.on);
        JsonNode resumed = null;
        if (resume != null && seeds != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seeds cannot be used with --resume: each "
                    + "seed's run has its own checkpoint (MODEL-seedS.kodiak.ckpt), a normal single-run checkpoint; "
                    + "resume the interrupted one alone (`kodiak train --resume MODEL-seedS.kodiak.ckpt`) and train "
                    + "the seeds that did not run yet with --seeds.");
        }
        if (resume != null) {
            resumed = ModelFile.read(resume).state().orElseThrow(() -> new KodiakException(
                    resume + " is a model file, not a checkpoint: it has no training state to resume"));
            Checkpoint.check(resumed, resume); // before any work: a damaged epoch or recipe is refused here
            applyPlan(resumed.get("plan"));
        }
        validate();
        Path model = out != null ? out
                : resume != null && resume.toString().endsWith(".ckpt")
                ? Path.of(resume.toString().substring(0, resume.toString().length() - ".ckpt".length()))
                : Path.of(data.dataDir().toAbsolutePath().normalize().getFileName() + ".kodiak");
        parallel.validate(spec.commandLine());
        if (seeds != null && parallel.worldSize() > 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seeds trains one run after another in this "
                    + "process: it cannot be combined with --processes or --nodes");
        }
        if (parallel.launches()) {
            exitCode = parallel.launch(spec.root().commandLine().getParseResult().originalArgs(),
                    spec.commandLine().getOut(), spec.commandLine().getErr());
            return;
        }
        if (parallel.worldSize() > 1) {
            trainAsRank(o, resumed, model);
            return;
        }
        parallel.join(); // alone: the thread count
        if (seeds != null) {
            new SeedsTraining(o, run -> train(o, null, run)).run(SeedRuns.parse(seeds), model, resplit ? null : data.seed);
            return;
        }
        train(o, resumed, new TrainingRun(model, data.seed, resumedTrainSeed != null ? resumedTrainSeed : data.seed, false));
    }

    /**
     * One rank of a data-parallel run started by hand or by {@code --processes}. The other ranks print nothing but
     * warnings and errors, and write nothing.
     */
    private void trainAsRank(Output o, JsonNode resumed, Path model) {
        try (DistributedGroup g = parallel.join()) {
            group = g;
            Output here = o;
            if (g.rank() != 0) {
                spec.commandLine().setOut(new java.io.PrintWriter(java.io.Writer.nullWriter()));
                here = new Output(spec, false); // human lines to the discarded stdout, JSON lines not at all
            } else {
                o.say("Training data-parallel in %d processes (rank 0 at %s), %d libtorch thread(s) here; the "
                        + "global batch of %d is split between them", g.worldSize(), g.rendezvous().address(),
                        parallel.threadsHere(), net.bs);
            }
            train(here, resumed, new TrainingRun(model, data.seed,
                    resumedTrainSeed != null ? resumedTrainSeed : data.seed, false));
        }
    }

    @Override
    public int getExitCode() {
        return exitCode;
    }

    /** One run, printed and exported; its final {@code valid_loss} and metrics. */
    private Map<String, Double> train(Output o, JsonNode resumed, TrainingRun run) {
        Path dir = data.dataDir();
        Path model = run.model();
        List<ItemTransform<RgbImage>> items = List.of(Resize.to(net.size).method(ResizeMethod.valueOf(resize.toUpperCase(Locale.ROOT))));
        List<BatchTransform> batch = augment ? List.of(Augment.standard()) : List.of();
        // one broken download must not kill a long run: skip it, report it at the end
        LoaderOptions options = LoaderOptions.defaults().withBatchSize(net.bs).withSeed(run.trainSeed()).withSkipBadItems(true)
                .withWorkers(workers != null ? workers : parallel.worldSize() > 1 ? parallel.threadsHere()
                        : Runtime.getRuntime().availableProcessors());
        CsvImageData csvData = data.csvData();
        if (csvData != null) {
            o.say("Task: %s", csvData.choice());
            csvData.table().skipped().forEach(bad -> o.warn("--skip-bad: left out %s %s", csvData.table().csv(), bad));
        }
        DataBlock<?> block = inputs.block(data, items, batch, augment, run.splitSeed(), csvData, m -> o.say("%s", m));
        try (DataLoaders<?> dls = block.dataLoaders(dir, options)) {
            printData(o, dls.datasets());
            VisionLearnerOptions lo = VisionLearnerOptions.defaults()
                    // when resuming, the weights come from the checkpoint, not from the pretrained files
                    .weights(resumed != null ? PretrainedChoice.none() : PretrainedChoice.of(net.weights)).bf16(precision.choose(o).bf16()).seed(run.trainSeed())
                    .metrics(metrics != null ? Metrics.byNames(metrics) : List.of()) // none: the task's (TaskDefaults)
                    .yRanges(yRange == null ? null : YRange.parseList(yRange))
                    .threshold(threshold == null || "auto".equalsIgnoreCase(threshold.trim()) ? null
                            : parseThreshold(threshold))
                    .warnings(message -> o.warn("%s", message));
            Learner learn = VisionLearner.create(dls, Architectures.byName(net.arch), lo);
            sayYRange(o, learn.task());
            if (resumed != null) {
                learn.pretrainedWith(resumed.path("pretrained").asText(net.weights));
            }
            learn.log(o.humanStream());
            learn.dataParallel(group); // null: alone; callbacks that write ask the learner whether this is rank 0
            Path checkpoint = Path.of(model + ".ckpt");
            AtomicFiles.deleteStaleTemps(model); // left by a run killed while exporting (the checkpoint's: by Checkpoint)
            learn.addCallback(new Checkpoint(checkpoint, plan(learn, run)));
            if (earlyStop != null) {
                learn.addCallback(new EarlyStopping(earlyStop));
            }
            learn.addCallback(jsonEpochs(o, run));
            addBatchCallbacks(learn, o);
            // nothing pretrained to protect (--weights none, or auto without weights): one-cycle on everything
            boolean scratch = "none".equals(learn.pretrainedWith());
            double lrValue = lr != null ? lr : scratch ? 1e-3 : 2e-3;
            Recipe recipe = resumed != null ? RecipeJson.read(resumed.get("recipe")) // checked by Checkpoint.check
                    : scratch ? Recipe.fitOneCycle(epochs, lrValue) : Recipe.fineTune(epochs, lrValue, freezeEpochs, 100);
            o.say("Training %s from %s: %s", net.arch, scratch ? "random weights" : learn.pretrainedWith() + " weights",
                    recipe.describe());
            long t0 = System.nanoTime();
            if (resumed != null) {
                o.say("Resuming from %s: %s epoch %d was the last completed.", resume,
                        resumed.path("phase").asText(), resumed.path("epoch").asInt());
                learn.resume(resume);
            } else {
                learn.run(recipe);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            tuneThreshold(o, learn, dls);
            if (!learn.isMainRank()) {
                return SeedRuns.finalMetrics(learn); // rank 0 writes the model, reports and plots
            }
            learn.export(model);
            reportSkipped(o, dls, dir);
            deleteQuietly(checkpoint);
            EpochResult last = learn.recorder().lastEpoch();
            Map<String, Object> fin = new LinkedHashMap<>();
            fin.put("valid_loss", last.validLoss());
            fin.putAll(last.metrics());
            // small validation sets make small differences meaningless: show how uncertain the error rate is
            ErrorRate errorRate = dls.target().isIndex() ? finalInterpretation(learn, dls).errorRate() : null;
            if (errorRate != null) {
                fin.put("error_rate_ci95", List.of(errorRate.low(), errorRate.high()));
            }
            Map<String, Object> line = new LinkedHashMap<>();
            tag(line, run);
            line.put("final", fin);
            line.put("world_size", learn.worldSize());
            line.put("model", model.toAbsolutePath().toString());
            line.put("seconds", seconds);
            o.object(line);
            StringBuilder summary = new StringBuilder();
            fin.forEach((k, v) -> {
                if (v instanceof Number n) {
                    summary.append(String.format(Locale.ROOT, "%s %.4f  ", k, n.doubleValue()));
                }
            });
            o.say("Final: %s(%.0f s of training)", summary, seconds);
            if (errorRate != null) {
                o.say("Error rate %s", errorRate);
            }
            o.say("Model written to %s", model.toAbsolutePath());
            if (plots != null) {
                Plots.loss(learn.recorder(), plots.resolve(run.plotFile("loss")));
                Plots.lr(learn.recorder(), plots.resolve(run.plotFile("lr")));
                o.say("Plots written to %s and %s", plots.resolve(run.plotFile("loss")).toAbsolutePath(),
                        plots.resolve(run.plotFile("lr")).toAbsolutePath());
            }
            return SeedRuns.finalMetrics(learn);
        }
    }

    /** A regression's y-range (VisionLearner chose it: TaskDefaults), printed before training with where it came from. */
    private void sayYRange(Output o, Task task) {
        if (!(task instanceof Task.Regression r) || r.yRanges().isEmpty()) {
            return;
        }
        if (yRange == null) {
            o.say("Outputs squashed into %s: the training targets' range widened by 5%% on each side (fastai's "
                    + "sigmoid_range; set it with --y-range LO,HI, or LO,HI;LO,HI per column)", TaskDefaults.yRangeText(task));
        } else {
            o.say("Outputs squashed into %s (--y-range, fastai's sigmoid_range)", TaskDefaults.yRangeText(task));
        }
    }

    private static double parseThreshold(String text) {
        try {
            double t = Double.parseDouble(text.trim());
            if (t > 0 && t < 1) {
                return t;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new KodiakException("--threshold takes a probability between 0 and 1 (e.g. 0.5) or auto, got '" + text + "'");
    }

    /** {@code --threshold auto}: the value maximizing f1_samples on the validation set, stored and flagged as tuned. */
    private void tuneThreshold(Output o, Learner learn, DataLoaders<?> dls) {
        if (!(learn.task() instanceof Task.MultiLabel) || threshold == null || !"auto".equalsIgnoreCase(threshold.trim())) {
            return;
        }
        var predictions = learn.recorder().lastPredictions();
        if (predictions == null || predictions.n() != dls.valid().size()) {
            predictions = learn.getPreds(dls.valid());
        }
        ThresholdSearch.Result best = ThresholdSearch.best(predictions);
        learn.task(new Task.MultiLabel(learn.task().labels(), best.threshold(), true));
        o.say("Threshold %.2f (f1_samples %.4f): tuned on the validation set, so metrics reported on it at this "
                + "threshold are optimistic", best.threshold(), best.f1Samples());
    }

    // a run of --seeds marks its JSON lines with its seed (first, so they read as "seed 2: ...")
    private static void tag(Map<String, Object> line, TrainingRun run) {
        if (run.tagged()) {
            line.put("seed", run.trainSeed());
        }
    }

    /**
     * The interpretation of the last epoch's validation pass, which already ran with the final weights; the model
     * runs over the validation set again only when some items were skipped (then the orders would not line up).
     */
    private static ClassificationInterpretation finalInterpretation(Learner learn, DataLoaders<?> dls) {
        var predictions = learn.recorder().lastPredictions();
        if (predictions != null && predictions.n() == dls.valid().size()) {
            return ClassificationInterpretation.of(dls.vocab(), predictions, dls.valid().items());
        }
        return ClassificationInterpretation.of(learn);
    }

    private static void reportSkipped(Output o, DataLoaders<?> dls, Path dir) {
        var failures = dls.failures();
        if (failures.isEmpty()) {
            return;
        }
        o.warn("%d image(s) could not be read and were left out of training:", failures.size());
        failures.stream().limit(10).forEach(f -> o.warn("  %s", f.error()));
        o.warn("run `kodiak verify %s` to move broken files to %s/.quarantine/", dir, dir);
    }

    private void validate() {
        if (epochs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--epochs must be at least 1, got " + epochs);
        }
        if (freezeEpochs < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--freeze-epochs must be at least 0");
        }
        if (net.bs < 1 || net.size < 16 || net.size > 1024) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--bs must be at least 1 and --size between 16 and 1024");
        }
        if (!List.of("crop", "pad", "squish").contains(resize.toLowerCase(Locale.ROOT))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resize must be crop, pad or squish, got " + resize);
        }
        if (lr != null && !(lr > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--lr must be positive, got " + lr);
        }
        if (mixup != null && cutmix != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--mixup and --cutmix cannot be used together: "
                    + "each replaces the training images in its own way; pick one");
        }
        if (mixup != null && (!(mixup > 0) || mixup.isInfinite())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--mixup must be a positive number (fastai "
                    + "uses 0.4), got " + mixup);
        }
        if (cutmix != null && (!(cutmix > 0) || cutmix.isInfinite())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cutmix must be a positive number (fastai "
                    + "uses 1.0), got " + cutmix);
        }
        if (accumulate != null && accumulate < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--accumulate must be at least 1 (batches per "
                    + "optimizer step), got " + accumulate);
        }
        if (resplit && seeds == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--resplit only applies with --seeds "
                    + "(one run's split is drawn with --seed)");
        }
        if (seeds != null) {
            try {
                SeedRuns.parse(seeds);
            } catch (KodiakException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--seeds: " + e.getMessage());
            }
        }
    }

    private void printData(Output o, Datasets ds) {
        Map<String, Map<String, Integer>> counts = ds.counts();
        o.say("Data: %s — %d images, %d labels %s; train %d, valid %d%s (%s)", ds.source(), ds.items().size(),
                ds.target().vocab().size(), ds.target().vocab(), ds.split().train().size(), ds.split().valid().size(),
                ds.split().test().isEmpty() ? "" : ", test " + ds.split().test().size(), ds.splitter().describe());
        if (ds.split().train().size() < net.bs) {
            o.warn("the training set (%d images) is smaller than one batch (%d): use a smaller --bs",
                    ds.split().train().size(), net.bs);
        }
        counts.get("train").forEach((label, n) -> {
            if (n == 0) {
                o.warn("label '%s' has no training images", label);
            }
        });
    }

    /**
     * Every option that shapes the run, so --resume can rebuild the same learner and schedule. The precision is the
     * one in effect (auto resolved), so a resumed run computes as the interrupted one did.
     */
    private TrainPlan plan(Learner learn, TrainingRun run) {
        return new TrainPlan(data.dataDir().toAbsolutePath().toString(), data.validPct, data.testPct, run.splitSeed(),
                run.trainSeed(), data.splitter, data.timeKey, data.labels, net.arch, net.weights, epochs, freezeEpochs,
                lr, net.bs, net.size, resize, augment, metrics,
                learn.callbacks().stream().anyMatch(MixedPrecision.class::isInstance) ? "bf16" : "fp32", earlyStop,
                mixup, cutmix, accumulate, data.csv == null ? null : new TrainPlan.CsvPlan(data.csv.toString(),
                data.fileCol, data.labelCol, data.validCol, data.labelDelim, data.skipBad, data.task, yRange, threshold));
    }

    /** The options a checkpoint's plan records; an option given on the command line as well is refused, not ignored. */
    private void applyPlan(JsonNode saved) {
        List<String> given = RESUMED_OPTIONS.stream().filter(spec.commandLine().getParseResult()::hasMatchedOption).toList();
        TrainPlan p = TrainPlan.read(saved, resume);
        Path savedDir = Path.of(p.dir());
        if (data.dir != null && !data.dir.toAbsolutePath().normalize().equals(savedDir.toAbsolutePath().normalize())) {
            given = new ArrayList<>(given);
            given.add(0, "DIR " + data.dir);
        }
        if (!given.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join(", ", given) + " cannot be used with "
                    + "--resume: a resumed run continues with the options saved in its checkpoint, to end as the "
                    + "interrupted run would have. Leave them out, or start a new run without --resume.");
        }
        data.dir = savedDir;
        data.validPct = p.validPct();
        data.testPct = p.testPct();
        data.seed = p.seed();
        resumedTrainSeed = p.trainSeed(); // absent in older checkpoints: --seed did both
        data.splitter = p.splitter();
        data.timeKey = p.timeKey();
        data.labels = p.labels();
        net.arch = p.arch();
        net.weights = p.weights();
        epochs = p.epochs();
        freezeEpochs = p.freezeEpochs();
        lr = p.lr();
        net.bs = p.bs();
        net.size = p.size();
        resize = p.resize();
        augment = p.augment();
        metrics = p.metrics();
        precision.value = p.precision();
        earlyStop = p.earlyStop();
        mixup = p.mixup(); // absent in older checkpoints: the run had none of the three
        cutmix = p.cutmix();
        accumulate = p.accumulate();
        if (p.csv() != null) { // a run trained from a CSV reads the same table again
            data.csv = Path.of(p.csv().csv());
            data.fileCol = p.csv().fileCol();
            data.labelCol = p.csv().labelCol();
            data.validCol = p.csv().validCol();
            data.labelDelim = p.csv().labelDelim();
            data.skipBad = p.csv().skipBad();
            data.task = p.csv().task();
            yRange = p.csv().yRange();
            threshold = p.csv().threshold();
        }
        try {
            validate();
        } catch (CommandLine.ParameterException e) {
            throw SavedOptions.invalid(resume, e.getMessage());
        }
        if (!List.of("fp32", "bf16", "auto").contains(precision.value) || earlyStop != null && earlyStop < 1) {
            throw SavedOptions.invalid(resume, "precision '" + precision.value + "', early_stop " + earlyStop
                    + " (expected fp32, bf16 or auto, and a patience of at least 1)");
        }
    }

    // the options plan() saves: on --resume they come from the checkpoint
    private static final List<String> RESUMED_OPTIONS = List.of("--valid-pct", "--test-pct", "--seed", "--splitter",
            "--time-key", "--labels", "--arch", "--weights", "--epochs", "--freeze-epochs", "--lr", "--bs", "--size",
            "--resize", "--augment", "--metrics", "--precision", "--early-stop", "--mixup", "--cutmix", "--accumulate",
            "--csv", "--file-col", "--label-col", "--valid-col", "--label-delim", "--skip-bad", "--task", "--y-range",
            "--threshold");

    /** The callbacks that change the training batches: MixUp or CutMix, and gradient accumulation. */
    private void addBatchCallbacks(Learner learn, Output o) {
        if (mixup != null) {
            learn.addCallback(new MixUp(mixup));
            o.say("MixUp on the training batches (alpha %s)", mixup);
        }
        if (cutmix != null) {
            learn.addCallback(new CutMix(cutmix));
            o.say("CutMix on the training batches (alpha %s)", cutmix);
        }
        if (accumulate != null && accumulate > 1) {
            learn.addCallback(new GradientAccumulation(accumulate));
            o.say("One optimizer step every %d batches (gradient accumulation: %d images per step)", accumulate,
                    accumulate * net.bs);
        }
    }

    private Callback jsonEpochs(Output o, TrainingRun run) {
        return new Callback() {
            @Override
            public int order() {
                return 12;
            }

            @Override
            public void afterEpoch(Learner learn) {
                EpochResult r = learn.recorder().lastEpoch();
                Map<String, Object> row = new LinkedHashMap<>();
                tag(row, run);
                row.put("phase", r.phase());
                row.put("epoch", r.epoch());
                row.put("train_loss", r.trainLoss());
                row.put("valid_loss", r.validLoss());
                row.putAll(r.metrics());
                row.put("seconds", r.seconds());
                row.put("data_wait_fraction", r.dataWaitFraction());
                o.object(row);
            }
        };
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (java.io.IOException e) {
            // a leftover checkpoint is harmless
        }
    }
}
