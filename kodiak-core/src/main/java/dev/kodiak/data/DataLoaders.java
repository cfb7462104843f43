package dev.kodiak.data;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The training, validation and (optional) held-out test loaders of one dataset, sharing one pool of loader
 * threads (decoding, item and batch transforms). Close it to stop the threads (they are daemons, so forgetting is harmless at exit).
 */
public final class DataLoaders<X> implements AutoCloseable {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Datasets datasets;
    private DataLoader<X> train;
    private DataLoader<X> valid;
    private DataLoader<X> test;
    private final ExecutorService pool;
    private final LoaderOptions options;

    DataLoaders(Datasets datasets, InputBlock<X> input, List<ItemTransform<X>> itemTransforms,
                List<BatchTransform> batchTransforms, LoaderOptions options) {
        this.datasets = datasets;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "kodiak-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        oneIntraOpThreadPerWorker(options.workers());
        TargetBlock target = datasets.target();
        ItemCache<X> cache = new ItemCache<>(options.cacheBytes()); // shared: valid items are met every epoch too
        this.train = new DataLoader<>("train", datasets.trainItems(), datasets.trainLabels(), input, target,
                itemTransforms, batchTransforms, true, options, pool, cache);
        this.valid = new DataLoader<>("valid", datasets.validItems(), datasets.validLabels(), input, target,
                itemTransforms, batchTransforms, false, options, pool, cache);
        this.test = datasets.split().test().isEmpty() ? null
                : new DataLoader<>("test", datasets.testItems(), datasets.testLabels(), input, target,
                itemTransforms, batchTransforms, false, options, pool, cache);
    }

    /**
     * The workers also run the batch transforms (tensor operations): each gets one libtorch intra-op thread, so
     * they never start OpenMP teams of their own, which would spin-wait for the cores the training thread's team
     * uses. All workers take their setting at once (a barrier: one task per thread), then the process-wide
     * count is set back here.
     */
    private void oneIntraOpThreadPerWorker(int workers) {
        int threads = Engine.threads();
        CyclicBarrier together = new CyclicBarrier(workers);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            done.add(pool.submit(() -> {
                together.await();
                Engine.oneIntraOpThreadHere();
                return null;
            }));
        }
        try {
            for (Future<?> f : done) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KodiakException("interrupted while starting the loader threads");
        } catch (ExecutionException e) {
            throw new KodiakException("cannot start the loader threads: " + e.getCause(), e.getCause());
        } finally {
            Engine.setThreads(threads);
        }
    }

    public DataLoader<X> train() {
        return train;
    }

    public DataLoader<X> valid() {
        return valid;
    }

    /** The held-out test loader, when the splitter kept a test set. */
    public Optional<DataLoader<X>> test() {
        return Optional.ofNullable(test);
    }

    /** The class names (or regression value names), in model-output order. */
    public List<String> vocab() {
        return datasets.target().vocab();
    }

    public TargetBlock target() {
        return datasets.target();
    }

    public Datasets datasets() {
        return datasets;
    }

    public LoaderOptions options() {
        return options;
    }

    /**
     * Adds a batch transform to every loader (e.g. the learner adds ImageNet normalization for a pretrained
     * model, as fastai does), unless an equal one is already there.
     */
    public void addBatchTransform(BatchTransform transform) {
        if (train.batchTransforms().contains(transform)) {
            return;
        }
        train = train.withBatchTransform(transform);
        valid = valid.withBatchTransform(transform);
        test = test == null ? null : test.withBatchTransform(transform);
    }

    /** The item transforms, in order (in their validation mode they are the inference preprocessing). */
    public List<ItemTransform<X>> itemTransforms() {
        return train.itemTransforms();
    }

    /** The input block. */
    public InputBlock<X> input() {
        return train.input();
    }

    /** The batch transforms the loaders apply, in order. */
    public List<BatchTransform> batchTransforms() {
        return train.batchTransforms();
    }

    /** Items that could not be loaded so far, over all loaders (when skipping bad items). */
    public List<ItemFailure> failures() {
        List<ItemFailure> all = new ArrayList<>(train.failures());
        all.addAll(valid.failures());
        if (test != null) {
            all.addAll(test.failures());
        }
        return all;
    }

    /**
     * Draws a {@code rows × rows} grid of the first training batch, as the model sees it, with labels; returns the
     * captions drawn, row by row (a class, a label set joined by {@code ;}, or the target number(s)).
     */
    public List<String> showBatch(Path png, int rows) {
        try (StepScope scope = StepScope.open()) {
            Batch batch = train.size() == 0 ? valid.oneBatch() : oneTrainBatch();
            return draw(batch, train.size() == 0 ? valid : train, rows, png);
        }
    }

    /** Draws a 3 × 3 grid of the first training batch. */
    public void showBatch(Path png) {
        showBatch(png, 3);
    }

    /**
     * Draws one training image {@code rows × rows} times under the training augmentations (fastai's unique); returns
     * the captions drawn.
     */
    public List<String> showUnique(Path png, int rows) {
        try (StepScope scope = StepScope.open()) {
            Batch batch = train.repeatedItem(0, rows * rows);
            return draw(batch, train, rows, png);
        }
    }

    private Batch oneTrainBatch() {
        if (train.batchCount() == 0) {
            // fewer items than a batch: show what there is, without dropping the incomplete batch
            return valid.oneBatch();
        }
        return train.oneBatch();
    }

    private List<String> draw(Batch batch, DataLoader<X> loader, int rows, Path png) {
        if (rows < 1) {
            throw new KodiakException("rows must be at least 1, got " + rows);
        }
        dev.kodiak.tensor.Tensor decoded = batch.x();
        List<BatchTransform> transforms = loader.batchTransforms();
        for (int t = transforms.size() - 1; t >= 0; t--) {
            decoded = transforms.get(t).decode(decoded);
        }
        Tensor x = NativeTensors.unwrap(decoded);
        int n = Math.min(batch.size(), rows * rows);
        long[] shape = x.shape();
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        Tensor flat = x.narrow(0, 0, n).to(torch.ScalarType.Float).contiguous();
        float[] all = new float[n * c * h * w];
        ((java.nio.FloatBuffer) flat.createBuffer()).get(all);
        InputBlock<X> input = loader.input();
        List<float[]> values = new ArrayList<>(n);
        List<Path> files = new ArrayList<>(n);
        List<String> captions = new ArrayList<>(n);
        int per = c * h * w;
        for (int i = 0; i < n; i++) {
            values.add(java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per));
            files.add(batch.items().get(i));
            int item = batch.indices().get(i);
            captions.add(datasets.target().caption(loader.labels().get(item)));
        }
        input.drawEncoded(values, h, w, files, captions, Math.min(rows, n), png);
        return List.copyOf(captions);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
