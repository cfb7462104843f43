package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.data.DataLoader;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeErrors;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.learn.loss.Loss;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.learn.optim.Optimizer;
import dev.kodiak.learn.optim.OptimizerFactory;
import dev.kodiak.learn.schedule.LrSlice;
import dev.kodiak.learn.schedule.OneCycle;
import dev.kodiak.model.ModelFile;
import dev.kodiak.tensor.Tensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Data + model + loss + optimizer + metrics + callbacks: trains with {@link #fit}, {@link #fitOneCycle} and
 * {@link #fineTune} exactly as fastai does, and evaluates with {@link #validate} and {@link #getPreds}.
 *
 * <p>While a fit runs, callbacks read the loop's state from the learner ({@link #epoch()}, {@link #iter()},
 * {@link #lossValue()}, ...). A learner is used from one thread.
 */
public final class Learner {
    /** The phase of {@code fit} and {@code fit_one_cycle}. */
    public static final String TRAIN = "train";
    /** fine_tune's phase with the body frozen. */
    public static final String FROZEN = "frozen";
    /** fine_tune's phase with every layer training. */
    public static final String UNFROZEN = "unfrozen";

    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final DataLoaders<?> dls;
    private final TrainableModel model;
    private final Loss loss;
    private Task task; // null: the target's (vocabulary, threshold 0.5, no y-range)
    private final OptimizerFactory optimizerFactory;
    private final List<Metric> metrics;
    private final List<Callback> callbacks = new ArrayList<>();
    private final Recorder recorder;
    private final TrainingLoop loop;
    private Optimizer optimizer;
    private PrintStream log = System.out;
    private String phase = TRAIN;
    private boolean autocast;
    private String pretrained = "none";
    private Recipe recipe;
    private ModelWriter writer;
    private java.util.function.LongSupplier nanoTime = System::nanoTime;
    private DataParallel parallel;
    private static final PrintStream QUIET = new PrintStream(java.io.OutputStream.nullOutputStream());

    Learner(DataLoaders<?> dls, TrainableModel model, Loss loss, OptimizerFactory optimizerFactory,
            List<Metric> metrics, List<Callback> callbacks) {
        this.dls = dls;
        this.model = model;
        this.loss = loss;
        this.optimizerFactory = optimizerFactory;
        this.metrics = List.copyOf(metrics);
        this.recorder = new Recorder();
        this.callbacks.add(recorder);
        this.callbacks.add(new ProgressCallback());
        this.callbacks.addAll(callbacks);
        sortCallbacks();
        this.loop = new TrainingLoop(this);
    }

    /** Starts a learner; architectures' own factories ({@code VisionLearner.create}) build on this. */
    public static LearnerBuilder builder(DataLoaders<?> dls, TrainableModel model) {
        return new LearnerBuilder(dls, model);
    }

    // ----------------------------------------------------------------------------------------- training

    /** {@code epochs} epochs at a constant learning rate {@code lr} for every parameter group. */
    public void fit(int epochs, double lr) {
        run(Recipe.fit(epochs, lr));
    }

    /** {@code epochs} epochs at constant per-group learning rates, with extra callbacks for this fit only. */
    public void fit(int epochs, LrSlice lr, List<Callback> extra) {
        run(new Recipe.Fit(epochs, lr, null), extra);
    }

    /** fastai's {@code fit_one_cycle(epochs, lrMax)} with its defaults. */
    public void fitOneCycle(int epochs, double lrMax) {
        run(Recipe.fitOneCycle(epochs, lrMax));
    }

    /** One-cycle schedule of per-group learning rates (and inverse momentum) over all batches of all epochs. */
    public void fitOneCycle(int epochs, LrSlice lrMax, OneCycle cycle) {
        run(new Recipe.FitOneCycle(epochs, lrMax, cycle, null));
    }

    /** fastai's {@code fine_tune(epochs)}: base LR 2e-3, one frozen epoch, LR multiplier 100. */
    public void fineTune(int epochs) {
        run(Recipe.fineTune(epochs));
    }

    /**
     * Transfer learning, exactly fastai's recipe ({@link Recipe.FineTune}): freeze the body and train the head with
     * one cycle for {@code freezeEpochs}; halve the base LR; unfreeze; train everything for {@code epochs} with
     * discriminative rates from baseLr/2/lrMult (stem) to baseLr/2 (head).
     */
    public void fineTune(int epochs, double baseLr, int freezeEpochs, double lrMult) {
        run(Recipe.fineTune(epochs, baseLr, freezeEpochs, lrMult));
    }

    /** Trains with {@code recipe} from its start; {@link #recipe()} is it from now on. */
    public void run(Recipe recipe) {
        run(recipe, List.of());
    }

    /** {@link #run(Recipe)} with extra callbacks for this run only. */
    public void run(Recipe recipe, List<Callback> extra) {
        RecipeRun.start(this, recipe, extra);
    }

    void recipe(Recipe recipe) {
        this.recipe = recipe;
    }

    /** fastai's {@code lr_find()}: 1e-7 → 10 over at most 100 batches; weights are restored afterwards. */
    public LrFindResult lrFind() {
        return lrFind(1e-7, 10, 100);
    }

    public LrFindResult lrFind(double startLr, double endLr, int numIt) {
        return LrFinder.run(this, startLr, endLr, numIt);
    }

    // ----------------------------------------------------------------------------------------- shipping

    /**
     * Writes the trained model as one self-describing {@code .kodiak} file (architecture, weights, labels,
     * preprocessing, provenance), atomically. Load it with {@code Predictor.load}.
     */
    public void export(java.nio.file.Path file) {
        ModelFile.write(file, writer().manifest(this), writer().weights(this));
    }

    /** Set by the learner's factory (e.g. VisionLearner): how its model file is described. */
    public void modelWriter(ModelWriter writer) {
        this.writer = writer;
    }

    /** How this learner's model file is described (for export and checkpoints). */
    public ModelWriter writer() {
        if (writer == null) {
            throw new KodiakException("this learner cannot write a model file: create it with VisionLearner.create(...)");
        }
        return writer;
    }

    /** The recipe being (or last) trained, null before the first; {@code recipe().describe()} says it in words. */
    public Recipe recipe() {
        return recipe;
    }


    // ----------------------------------------------------------------------------------------- freezing

    /** Freezes every parameter group but the head. */
    public void freeze() {
        freezeTo(-1);
    }

    /** Makes every parameter trainable. */
    public void unfreeze() {
        freezeTo(0);
    }

    /**
     * Freezes the first {@code n} parameter groups ({@code n < 0} counts from the end, like fastai). BatchNorm
     * weights and biases of frozen groups stay trainable (fastai's train_bn): their statistics must adapt to
     * the new data. Frozen parameters get no gradient, no update and no weight decay.
     */
    public void freezeTo(int n) {
        List<List<Tensor>> groups = model.parameterGroups();
        int frozen = n < 0 ? groups.size() + n : n;
        if (frozen < 0 || frozen > groups.size()) {
            throw new KodiakException("cannot freeze to group " + n + ": the model has " + groups.size() + " groups");
        }
        for (int g = 0; g < groups.size(); g++) {
            for (Tensor p : groups.get(g)) {
                // in our architectures every 1-D parameter is a BatchNorm weight/bias or a bias
                NativeTensors.unwrap(p).requires_grad_(g >= frozen || p.dim() == 1);
            }
        }
    }

    // ----------------------------------------------------------------------------------------- evaluation

    /** Loss and metrics over a whole loader (default: the validation set). */
    public ValidationResult validate(DataLoader<?> dl) {
        return loop.evaluate(dl).result(metrics);
    }

    public ValidationResult validate() {
        return validate(dls.valid());
    }

    /** Activated outputs (probabilities or values), targets and per-item losses over a loader. */
    public Predictions getPreds(DataLoader<?> dl) {
        return loop.evaluate(dl).predictions();
    }

    /**
     * How this learner turns outputs into answers (the task of its target, its vocabulary, multi-label threshold
     * 0.5): the same decoder a {@code Predictor} of the exported model uses. {@code decoder().decodeAll(getPreds(dl))}
     * gives the answers the exported model would give.
     */
    public OutputDecoder decoder() {
        return OutputDecoder.of(task());
    }

    /** The task this learner's outputs answer: set with {@link #task(Task)}, else the data target's. */
    public Task task() {
        return task != null ? task : Task.forTarget(dls.target());
    }

    /**
     * Sets the task (e.g. a regression's y-range, whose loss must then squash alike, or a tuned multi-label
     * threshold): validation, {@code getPreds} and the exported model file answer with it.
     */
    public Learner task(Task t) {
        if (t.labels().size() != dls.target().outputs()) {
            throw new dev.kodiak.KodiakException("the task has " + t.labels().size() + " outputs but the data's target "
                    + dls.target().outputs());
        }
        this.task = t;
        return this;
    }

    /** fastai's {@code tta()}: 4 augmented passes over the validation set blended with the plain one (beta 0.25). */
    public Predictions tta() {
        return tta(dls.valid(), 4, 0.25);
    }

    /** Test-time augmentation over {@code dl}: {@code (1 - beta) * mean of n augmented passes + beta * plain}. */
    public Predictions tta(DataLoader<?> dl, int n, double beta) {
        return TestTimeAugmentation.run(this, dl, n, beta);
    }

    /** The layers, parameter counts, trainable/frozen state and the shapes of one batch through the model. */
    public String summary() {
        return ModelSummary.of(this);
    }

    /**
     * Continues a run that a {@link Checkpoint} saved (e.g. after the process was killed): loads weights and
     * optimizer state, what the callbacks remember and libtorch's random generator, then runs the rest of the same
     * {@code fineTune} / {@code fitOneCycle} from the epoch after the last completed one, at the same schedule
     * position. Built as before (same data, seed, model and callbacks), the learner ends with the weights the
     * uninterrupted run would have had, bit for bit. A checkpoint whose recipe or epoch is invalid is refused with a
     * {@link KodiakException} before anything is loaded.
     */
    public void resume(java.nio.file.Path checkpoint) {
        ResumePlan.resume(this, checkpoint);
    }

    /** Saves weights and optimizer state (a {@code .kodiak} checkpoint) to continue later with {@link #load}. */
    public void save(java.nio.file.Path file) {
        TrainingState.save(this, file, new TrainingState.Saved(phase, -1, null, null, recipe, pretrained, null));
    }

    /** Loads weights and optimizer state written by {@link #save} (same architecture and classes). */
    public void load(java.nio.file.Path file) {
        TrainingState.load(this, file);
    }

    // ----------------------------------------------------------------------------------------- callbacks

    public Learner addCallback(Callback cb) {
        callbacks.add(cb);
        sortCallbacks();
        return this;
    }

    public Learner removeCallback(Callback cb) {
        callbacks.remove(cb);
        return this;
    }

    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    /** Where the epoch table goes (stdout by default; the CLI's --json sends it to stderr). */
    public Learner log(PrintStream log) {
        this.log = log;
        return this;
    }

    /** Where the epoch table goes; nowhere on the ranks other than 0 of a data-parallel run. */
    public PrintStream log() {
        return isMainRank() ? log : QUIET;
    }

    // ----------------------------------------------------------------------------------------- data parallelism

    /**
     * Trains data-parallel with the other ranks of {@code group} (fastai's {@code to_parallel}, PyTorch's DDP): each
     * rank takes its slice of every global batch ({@code --bs} is the global batch) of the same shuffle, starts every
     * fit from rank 0's weights and steps with the gradients averaged over all ranks; validation is sharded and
     * gathered, so metrics cover the whole validation set. Only rank 0 prints the epoch table and writes checkpoints,
     * the best model and the training log. Every rank must run the same recipe on the same data. {@code null}
     * detaches (plain training). The caller keeps and closes the group.
     */
    public Learner dataParallel(dev.kodiak.engine.distributed.DistributedGroup group) {
        if (parallel != null) {
            removeCallback(parallel);
            parallel = null;
        }
        if (group != null && group.worldSize() > 1) {
            parallel = new DataParallel(group);
            addCallback(parallel);
        }
        return this;
    }

    /** This process's rank in a data-parallel run (0 otherwise). */
    public int rank() {
        return parallel == null ? 0 : parallel.group().rank();
    }

    /** The number of processes training together (1 without {@link #dataParallel}). */
    public int worldSize() {
        return parallel == null ? 1 : parallel.group().worldSize();
    }

    /** True on the rank that prints and writes files: rank 0, or the only process. */
    public boolean isMainRank() {
        return rank() == 0;
    }

    /** The data-parallel callback, null in plain training. */
    DataParallel parallel() {
        return parallel;
    }

    private void sortCallbacks() {
        callbacks.sort(Comparator.comparingInt(Callback::order));
    }

    // ----------------------------------------------------------------------------------------- accessors

    public DataLoaders<?> dls() {
        return dls;
    }

    public TrainableModel model() {
        return model;
    }

    public Loss loss() {
        return loss;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public Recorder recorder() {
        return recorder;
    }

    /** The optimizer (created at the first fit). */
    public Optimizer optimizer() {
        ensureOptimizer();
        return optimizer;
    }

    /** {@code frozen}, {@code unfrozen} (in fineTune) or {@code train}. */
    public String phase() {
        return phase;
    }

    void phase(String phase) {
        this.phase = phase;
    }

    /** The pretrained weights the model started from ({@code none} for random initialisation). */
    public String pretrainedWith() {
        return pretrained;
    }

    /** Records which pretrained weights the model started from (for the model file). */
    public void pretrainedWith(String weightsName) {
        this.pretrained = weightsName;
    }

    /** True while bf16 autocast is on for forward passes (set by {@link MixedPrecision}). */
    public boolean autocast() {
        return autocast;
    }

    public void autocast(boolean on) {
        this.autocast = on;
    }

    public int epoch() {
        return loop.epoch;
    }

    public int epochs() {
        return loop.nEpoch;
    }

    public int iter() {
        return loop.iter;
    }

    public int iters() {
        return loop.nIter;
    }

    /** Position in the current fit's training, 0 at its start to 1 at its end. */
    public double pctTrain() {
        return loop.pctTrain;
    }

    public boolean training() {
        return loop.training;
    }

    /** The loss of the current batch. */
    public double lossValue() {
        return loop.lossValue;
    }

    /** Internal: the current batch. */
    public dev.kodiak.data.Batch batch() {
        return loop.batch;
    }

    // ------------------------------------------------------------------ the current batch, as callbacks change it

    /**
     * The current batch's inputs (fastai's {@code learn.xb}), from {@code beforeBatch} to {@code afterBatch}; null
     * outside a batch. Like every tensor of a step, it is freed when the batch ends: keep numbers, not tensors.
     */
    public Tensor input() {
        return loop.input;
    }

    /** Replaces the current batch's inputs; only in {@code beforeBatch} (e.g. MixUp's blended images). */
    public void setInput(Tensor x) {
        Tensor t = required(x, "setInput");
        loop.replace(TrainingLoop.Moment.BEFORE_BATCH, "setInput", () -> loop.input = t);
    }

    /** The current batch's targets (fastai's {@code learn.yb}), from {@code beforeBatch} to {@code afterBatch}. */
    public Tensor target() {
        return loop.target;
    }

    /** Replaces the current batch's targets; only in {@code beforeBatch}. The loss and the metrics see these. */
    public void setTarget(Tensor y) {
        Tensor t = required(y, "setTarget");
        loop.replace(TrainingLoop.Moment.BEFORE_BATCH, "setTarget", () -> loop.target = t);
    }

    /** The model's raw output for the current batch (fastai's {@code learn.pred}), from {@code afterPred} on. */
    public Tensor prediction() {
        return loop.pred;
    }

    /** Replaces the current batch's raw output; only in {@code afterPred}. The loss and the metrics see it. */
    public void setPrediction(Tensor pred) {
        Tensor t = required(pred, "setPrediction");
        loop.replace(TrainingLoop.Moment.AFTER_PRED, "setPrediction", () -> loop.pred = t);
    }

    /**
     * The current batch's loss (fastai's {@code learn.loss}), a 0-d float32 tensor, from {@code afterLoss} on;
     * {@link #loss()} is the loss <em>function</em>.
     */
    public Tensor batchLoss() {
        return loop.loss;
    }

    /**
     * Replaces the current batch's loss. In {@code afterLoss} it is what is recorded and what the backward pass
     * differentiates (e.g. MixUp's blend); in {@code beforeBackward} only what is differentiated (e.g. scaled by
     * gradient accumulation), the recorded loss stays. A training loss is one number; a validation loss is one number
     * or one per item (then top losses rank the items by it), and the validation loss is the mean over all items.
     */
    public void setBatchLoss(Tensor loss) {
        loop.replaceLoss(required(loss, "setBatchLoss"));
    }

    /**
     * The learner's loss function per item, {@code [B]} float32, autograd-aware: for callbacks that blend or weight
     * the losses of a batch (MixUp scores the prediction against both targets). {@code pred} is the model's raw
     * output (computed in float32 whatever its precision), {@code target} targets as the loader makes them.
     */
    public Tensor lossPerItem(Tensor pred, Tensor target) {
        return loss.perItem(required(pred, "lossPerItem").toFloat(), required(target, "lossPerItem"));
    }

    /**
     * The seed of this learner's random choices (its data loaders' seed): callbacks that draw random numbers derive
     * their streams from it with the epoch and batch, so runs repeat and a resumed run draws what the first would have.
     */
    public long seed() {
        return dls.options().seed();
    }

    private static <T> T required(T value, String method) {
        if (value == null) {
            throw new KodiakException(method + " needs a tensor, got null");
        }
        return value;
    }

    /** Validation: the current batch's loss per item (what the recorder keeps), null in training. */
    Tensor itemLosses() {
        return loop.itemLosses;
    }

    DataWaitClock dataWait() {
        return loop.dataWait;
    }

    /** The time source of the recorder's epoch and data-wait timings: {@code System.nanoTime()}. */
    long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** For tests: time the recorder with a clock they move themselves, so timings are exact. */
    void useClock(java.util.function.LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    List<Callback> callbackList() {
        return callbacks;
    }

    String optimizerName() {
        return optimizerFactory.name();
    }

    void ensureOptimizer() {
        if (optimizer == null) {
            optimizer = optimizerFactory.create(model.parameterGroups());
        }
    }

    TrainingLoop loop() {
        return loop;
    }
}
