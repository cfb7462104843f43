package dev.kodiak.data;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.bytedeco.pytorch.Tensor;

/**
 * Batches of one split. Whole batches are made on a thread pool ahead of use: items decoded and
 * item-transformed, then the batch tensor made and the batch transforms (augmentation, normalization) run, each
 * worker with one libtorch intra-op thread. The consuming thread takes the finished tensors into its step scope.
 *
 * <p>Every random choice is drawn from {@link Rng}s keyed by (seed, epoch, item or batch), so an epoch's
 * batches are identical whatever the number of workers and however the threads are scheduled.
 */
public final class DataLoader<X> {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final String name;
    private final List<Path> items;
    private final List<Object> labels;
    private final InputBlock<X> input;
    private final TargetBlock target;
    private final List<ItemTransform<X>> itemTransforms;
    private final List<BatchTransform> batchTransforms;
    private final boolean training;
    // true: random item/batch transforms on, but items in order and none dropped (test-time augmentation)
    private final boolean augmentInOrder;
    private final LoaderOptions options;
    private final ExecutorService pool;
    private final ItemCache<X> cache;
    private final Map<Path, ItemFailure> failures = Collections.synchronizedMap(new LinkedHashMap<>());
    private final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();

    DataLoader(String name, List<Path> items, List<Object> labels, InputBlock<X> input, TargetBlock target,
               List<ItemTransform<X>> itemTransforms, List<BatchTransform> batchTransforms, boolean training,
               LoaderOptions options, ExecutorService pool, ItemCache<X> cache) {
        this(name, items, labels, input, target, itemTransforms, batchTransforms, training, false, options, pool, cache);
    }

    private DataLoader(String name, List<Path> items, List<Object> labels, InputBlock<X> input, TargetBlock target,
                       List<ItemTransform<X>> itemTransforms, List<BatchTransform> batchTransforms, boolean training,
                       boolean augmentInOrder, LoaderOptions options, ExecutorService pool, ItemCache<X> cache) {
        this.augmentInOrder = augmentInOrder;
        this.name = name;
        this.items = List.copyOf(items);
        this.labels = List.copyOf(labels);
        this.input = input;
        this.target = target;
        this.itemTransforms = List.copyOf(itemTransforms);
        List<BatchTransform> sorted = new ArrayList<>(batchTransforms);
        sorted.sort(java.util.Comparator.comparingInt(BatchTransform::order));
        this.batchTransforms = List.copyOf(sorted);
        this.training = training;
        this.options = options;
        this.pool = pool;
        this.cache = cache;
    }

    /** {@code train}, {@code valid} or {@code test}. */
    public String name() {
        return name;
    }

    /** The items of this split, in their fixed (unshuffled) order. */
    public List<Path> items() {
        return items;
    }

    /** The raw labels of {@link #items()}, same order. */
    public List<Object> labels() {
        return labels;
    }

    /** True for the training loader: shuffled, last incomplete batch dropped, random transforms on. */
    public boolean training() {
        return training;
    }

    /** Number of items. */
    public int size() {
        return items.size();
    }

    public int batchSize() {
        return options.batchSize();
    }

    /** Batches per epoch. */
    public int batchCount() {
        int n = items.size();
        int bs = options.batchSize();
        return training && !augmentInOrder ? n / bs : (n + bs - 1) / bs;
    }

    /**
     * This loader's items, in order and all of them, but through the training transforms (random crops and
     * augmentations) drawn with {@code seed}: one pass of test-time augmentation.
     */
    public DataLoader<X> augmented(long seed) {
        return new DataLoader<>(name + "-tta", items, labels, input, target, itemTransforms, batchTransforms, true, true,
                options.withSeed(seed), pool, cache);
    }

    /** Items that could not be loaded so far (when skipping bad items), in the order they were met. */
    public List<ItemFailure> failures() {
        synchronized (failures) {
            return List.copyOf(failures.values());
        }
    }

    /** The batches of {@code epoch}. Tensors are made inside the caller's step scope as it iterates. */
    public Iterable<Batch> epoch(int epoch) {
        return () -> new BatchIterator(epoch, plan(epoch));
    }

    /**
     * Rank {@code rank}'s share of the batches of {@code epoch} when {@code worldSize} processes train together:
     * the r-th slice of every global batch of {@link #epoch(int)}, so the ranks together see exactly its items in
     * the same steps. Training batches must split evenly (every rank's loss is a mean over the same number of
     * items, so averaging the ranks' gradients gives the whole batch's); other loaders' batches split as evenly as
     * they can, a rank whose slice is empty skipping that batch.
     */
    public Iterable<Batch> epoch(int epoch, int rank, int worldSize) {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new KodiakException("rank " + rank + " is not within a world of " + worldSize + " processes");
        }
        if (worldSize == 1) {
            return epoch(epoch);
        }
        int bs = options.batchSize();
        boolean equalSlices = training && !augmentInOrder;
        if (equalSlices && bs % worldSize != 0) {
            throw new KodiakException("the batch size " + bs + " does not split evenly over " + worldSize
                    + " processes: use a multiple of " + worldSize + " for --bs (it is the global batch)");
        }
        List<int[]> shards = new ArrayList<>();
        for (int[] b : plan(epoch)) {
            int from = (int) ((long) b.length * rank / worldSize);
            int to = (int) ((long) b.length * (rank + 1) / worldSize);
            if (to > from) {
                shards.add(java.util.Arrays.copyOfRange(b, from, to));
            }
        }
        return () -> new BatchIterator(epoch, shards);
    }

    /** The first batch of epoch 0 (make it inside a step scope). */
    public Batch oneBatch() {
        Iterator<Batch> it = epoch(0).iterator();
        if (!it.hasNext()) {
            throw new KodiakException("the " + name + " set has fewer items (" + items.size()
                    + ") than one batch needs (" + options.batchSize() + "): use a smaller batch size");
        }
        return it.next();
    }

    /**
     * One item seen {@code n} times through this loader's random transforms (fastai's {@code unique}): shows
     * what augmentation does. Make it inside a step scope.
     */
    public Batch repeatedItem(int index, int n) {
        int[] idx = new int[n];
        java.util.Arrays.fill(idx, index);
        Decoded d = decode(0, idx, true);
        return toBatch(d, 0);
    }

    /** The batch transforms, in the order they run. */
    public List<BatchTransform> batchTransforms() {
        return batchTransforms;
    }

    /** The same loader with one more batch transform (sorted into place by its order). */
    DataLoader<X> withBatchTransform(BatchTransform transform) {
        List<BatchTransform> all = new ArrayList<>(batchTransforms);
        all.add(transform);
        return new DataLoader<>(name, items, labels, input, target, itemTransforms, all, training, options, pool, cache);
    }

    /** The same loader with no batch transforms (to show the raw collated batch in summaries). */
    DataLoader<X> withoutBatchTransforms() {
        return new DataLoader<>(name, items, labels, input, target, itemTransforms, List.of(), training, options, pool, cache);
    }

    InputBlock<X> input() {
        return input;
    }

    TargetBlock target() {
        return target;
    }

    List<ItemTransform<X>> itemTransforms() {
        return itemTransforms;
    }

    /** Item indices per batch for one epoch: shuffled (by seed and epoch) on the training loader. */
    List<int[]> plan(int epoch) {
        List<Integer> order = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            order.add(i);
        }
        if (training && !augmentInOrder) {
            Rng rng = Rng.of(options.seed(), "shuffle", epoch, 0);
            for (int i = order.size() - 1; i > 0; i--) {
                Collections.swap(order, i, rng.nextInt(i + 1));
            }
        }
        List<int[]> plan = new ArrayList<>();
        int bs = options.batchSize();
        for (int start = 0; start < order.size(); start += bs) {
            int end = Math.min(order.size(), start + bs);
            if (training && !augmentInOrder && end - start < bs) {
                break; // fastai drops the last incomplete training batch: a tiny batch makes BatchNorm noisy
            }
            int[] b = new int[end - start];
            for (int i = start; i < end; i++) {
                b[i - start] = order.get(i);
            }
            plan.add(b);
        }
        return plan;
    }

    /**
     * A batch decoded by a worker: pixels (or float samples, for blocks that write floats) and encoded targets, no
     * tensors yet.
     */
    private record Decoded(ByteBuffer pixels, float[] samples, int n, int height, int width, int[] indices,
                           long[] classes, float[] values) {
    }

    private Decoded decode(int epoch, int[] batch, boolean repeated) {
        int channels = input.channels();
        int outputs = target.outputs();
        ByteBuffer pixels = null;
        float[] samples = null;
        FloatBuffer floats = null;
        int height = -1;
        int width = -1;
        Path first = null;
        int n = 0;
        int[] kept = new int[batch.length];
        long[] classes = target.isIndex() ? new long[batch.length] : null;
        float[] values = target.isIndex() ? null : new float[batch.length * outputs];
        float[] scratch = new float[Math.max(1, outputs)];
        for (int k = 0; k < batch.length; k++) {
            int i = batch[k];
            Path item = items.get(i);
            X sample;
            try {
                sample = cache.load(item, input);
                // a repeated item gets a different random stream per copy, so each copy is augmented differently
                Rng rng = Rng.of(options.seed(), "item", repeated ? k : epoch, i);
                for (ItemTransform<X> t : itemTransforms) {
                    sample = t.apply(sample, rng, training);
                }
            } catch (KodiakException e) {
                if (options.skipBadItems()) {
                    failures.putIfAbsent(item, new ItemFailure(item, e.getMessage()));
                    continue;
                }
                throw e;
            }
            int[] size = input.size(sample);
            if (first == null) {
                height = size[0];
                width = size[1];
                first = item;
                long count = (long) batch.length * height * width * channels;
                if (input.floatSamples()) {
                    if (count > Integer.MAX_VALUE - 16) {
                        throw new KodiakException("one batch would need " + count + " float samples: use a smaller"
                                + " batch or shorter items");
                    }
                    samples = new float[(int) count];
                    floats = FloatBuffer.wrap(samples);
                } else {
                    pixels = buffer(count);
                }
            } else if (size[0] != height || size[1] != width) {
                throw new KodiakException("items of one batch must have the same size, but " + first + " is "
                        + width + "x" + height + " and " + item + " is " + size[1] + "x" + size[0]
                        + " after the item transforms: add a resize, e.g. Resize.to(224)");
            }
            if (floats != null) {
                input.writeFloats(sample, floats);
            } else {
                input.writeHwc(sample, pixels);
            }
            long cls = target.encode(labels.get(i), scratch);
            if (classes != null) {
                classes[n] = cls;
            } else {
                System.arraycopy(scratch, 0, values, n * outputs, outputs);
            }
            kept[n++] = i;
        }
        return new Decoded(pixels, samples, n, height, width, java.util.Arrays.copyOf(kept, n), classes, values);
    }

    private ByteBuffer buffer(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new KodiakException("one batch would need " + bytes + " bytes of pixels: use a smaller batch or size");
        }
        ByteBuffer b = buffers.poll();
        if (b == null || b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect((int) bytes);
        }
        b.clear();
        return b;
    }

    // Float samples as they were written: [n, c, h, w].
    private static Tensor floatBatch(Decoded d, int c) {
        int per = c * d.height * d.width;
        float[] values = d.samples.length == d.n * per ? d.samples : java.util.Arrays.copyOf(d.samples, d.n * per);
        return Tensors.fromFloats(values, d.n, c, d.height, d.width);
    }

    private Tensor pixelBatch(Decoded d, int c) {
        try {
            // NHWC bytes to float NCHW in one native pass; the result is channels-last in memory (what the fast
            // convolution path wants) and owns its memory, so the pixel buffer can be reused at once
            d.pixels.flip();
            return Tensors.fromUint8Hwc(d.pixels, d.n, d.height, d.width, c);
        } finally {
            buffers.offer(d.pixels);
        }
    }

    private Batch toBatch(Decoded d, int batchNo) {
        int c = input.channels();
        Tensor x = d.samples != null ? floatBatch(d, c) : pixelBatch(d, c);
        x = NativeTensors.unwrap(input.encode(NativeTensors.wrap(x), Rng.of(options.seed(), "encode", 0, batchNo),
                training));
        Tensor y = d.classes != null
                ? Tensors.fromLongs(java.util.Arrays.copyOf(d.classes, d.n), d.n)
                : Tensors.fromFloats(java.util.Arrays.copyOf(d.values, d.n * target.outputs()), d.n, target.outputs());
        for (int t = 0; t < batchTransforms.size(); t++) {
            Rng rng = Rng.of(options.seed(), "batch" + t, 0, batchNo);
            x = NativeTensors.unwrap(batchTransforms.get(t).apply(NativeTensors.wrap(x), rng, training));
        }
        List<Integer> indices = new ArrayList<>(d.n);
        List<Path> files = new ArrayList<>(d.n);
        for (int i : d.indices) {
            indices.add(i);
            files.add(items.get(i));
        }
        return new Batch(x, y, indices, files);
    }

    /**
     * A whole batch made on a loader thread: decoded items, then the tensors and the batch transforms (the
     * worker has one intra-op thread, see DataLoaders). Null when every item of the batch failed and was skipped.
     * The tensors are kept past the worker's scope; the consumer {@link StepScope#adopt adopts} them.
     */
    private Batch prepare(int epoch, int[] items, int batchNo) {
        Decoded d = decode(epoch, items, false);
        if (d.n == 0) {
            if (d.pixels != null) {
                buffers.offer(d.pixels);
            }
            return null;
        }
        try (StepScope scope = StepScope.open()) {
            Batch b = toBatch(d, batchNo);
            // New owning handles: what a transform returns may be the reference an in-place op hands back, which
            // dies with the handle it aliases when this scope closes.
            Tensor x = scope.keep(new Tensor(NativeTensors.unwrap(b.x())));
            Tensor y = scope.keep(new Tensor(NativeTensors.unwrap(b.y())));
            return new Batch(x, y, b.indices(), b.items());
        }
    }

    private final class BatchIterator implements Iterator<Batch> {
        private final int epoch;
        private final List<int[]> plan;
        private final ArrayDeque<Future<Batch>> inflight = new ArrayDeque<>();
        private int submitted;
        private int taken;
        private Batch ready;

        BatchIterator(int epoch, List<int[]> plan) {
            this.epoch = epoch;
            this.plan = plan;
        }

        @Override
        public boolean hasNext() {
            while (ready == null && taken < plan.size()) {
                fill();
                taken++;
                ready = await(inflight.poll());
            }
            return ready != null;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Batch b = ready;
            ready = null;
            fill();
            StepScope.adopt(NativeTensors.unwrap(b.x()));
            StepScope.adopt(NativeTensors.unwrap(b.y()));
            return b;
        }

        private int epochBatch(int no) {
            return epoch * 1_000_003 + no; // distinct batch keys across epochs for the batch-transform streams
        }

        private void fill() {
            int ahead = options.workers() * options.prefetch();
            while (submitted < plan.size() && inflight.size() < ahead) {
                int no = submitted++;
                int[] b = plan.get(no);
                inflight.add(pool.submit(() -> prepare(epoch, b, epochBatch(no))));
            }
        }

        private Batch await(Future<Batch> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KodiakException("interrupted while loading the " + name + " set");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof KodiakException k) {
                    throw k;
                }
                throw new KodiakException("loading a batch of the " + name + " set failed: " + cause, cause);
            }
        }
    }
}
