package dev.kodiak.vision.predict;

import dev.kodiak.KodiakException;
import dev.kodiak.data.InputKinds;
import dev.kodiak.data.InputPipeline;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Rng;
import dev.kodiak.engine.Autocast;
import dev.kodiak.engine.ChannelsLast;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.GradMode;
import dev.kodiak.engine.NativeErrors;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.Tensors;
import dev.kodiak.learn.Answer;
import dev.kodiak.learn.OutputDecoder;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.models.Architecture;
import dev.kodiak.models.VisionModel;
import dev.kodiak.vision.transforms.Normalize;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.bytedeco.pytorch.Tensor;

/**
 * A trained model ready to answer: loads a {@code .kodiak} file (no training code involved), checks it, and turns
 * images into {@link Prediction}s with exactly the preprocessing recorded in the file.
 * <pre>{@code
 * try (Predictor bears = Predictor.load(Path.of("bears.kodiak"))) {
 *     Prediction p = bears.predict(Path.of("grizzly.jpg"));   // p.label(), p.probability()
 * }
 * }</pre>
 *
 * <p><b>Loading checks</b> the format version, the manifest (architecture, head, labels, transforms,
 * normalization), the SHA-256 of the weights, and every tensor's name, shape and type against the architecture;
 * any mismatch is a {@link KodiakException} naming the file and the problem. Then BatchNorm is folded into the
 * neighbouring layers (see {@link PredictorOptions#foldBatchNorm()}), weights go channels-last, and every forward
 * pass runs in libtorch's inference mode.
 *
 * <p><b>Threads</b>: a predictor is safe to share. Forward passes hold no mutable Java state and libtorch's
 * eval-mode forward does not write to the module, so concurrent calls run in parallel (each call already uses all
 * of libtorch's intra-op threads, so for throughput prefer fewer, larger {@link #predictBatch} calls, e.g. by
 * micro-batching requests, over many concurrent single-image calls). {@link #close()} waits for calls in flight and
 * frees the native memory; calls after it fail with a clear error.
 */
public final class Predictor implements AutoCloseable {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Path source;
    private final Manifest manifest;
    private final VisionModel model;
    private final List<ItemTransform<RgbImage>> transforms;
    private final Normalize normalize;
    private final ImageDecoder decoder;
    private final InputPipeline<?> pipeline; // the model's input kind, found by name: images, sound, ...
    private final PredictorOptions options;
    private final int height;
    private final int width;
    private final String task;
    private final List<String> labels;
    private final OutputDecoder outputDecoder; // as the learner's: activation and reading of the outputs
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ConcurrentLinkedQueue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();
    private boolean closed;

    private Predictor(Path source, Manifest manifest, VisionModel model, PredictorOptions options) {
        ManifestCheck check = new ManifestCheck(source, manifest);
        this.source = source;
        this.manifest = manifest;
        this.model = model;
        this.options = options;
        this.task = check.task();
        this.labels = manifest.output().labels();
        check.threshold(task); // a multi-label file without a valid threshold is refused here, with the file named
        this.outputDecoder = OutputDecoder.of(dev.kodiak.learn.Task.of(manifest.output()));
        this.transforms = check.itemTransforms();
        this.normalize = check.normalize();
        int[] size = check.inputSize();
        this.height = size[0];
        this.width = size[1];
        this.decoder = ImageDecoder.withLimits(options.limits());
        this.pipeline = withLimits(InputKinds.byName(manifest.input().kind()).pipeline(manifest, source),
                options.limits());
    }

    // images read through the kind's pipeline still honour this predictor's decode limits
    @SuppressWarnings("unchecked")
    private static InputPipeline<?> withLimits(InputPipeline<?> p, dev.kodiak.vision.DecodeLimits limits) {
        return p.block() instanceof dev.kodiak.vision.ImageBlock
                ? new InputPipeline<>(dev.kodiak.vision.ImageBlock.rgb(limits),
                        ((InputPipeline<RgbImage>) p).itemTransforms())
                : p;
    }

    /** Loads and checks a model file with the default options. */
    public static Predictor load(Path file) {
        return load(file, PredictorOptions.defaults());
    }

    /** Loads and checks a model file. */
    public static Predictor load(Path file, PredictorOptions options) {
        // The manifest first: it is checked, and the model it describes built, before a byte of weights is read, so
        // the weights entry can be held to exactly what that model takes (a crafted or compressed one is refused).
        Manifest manifest = ModelFile.readManifest(file);
        ManifestCheck check = new ManifestCheck(file, manifest);
        check.task();
        check.itemTransforms();
        check.inputSize();
        check.normalize();
        Architecture arch = check.architecture();
        List<String> labels = check.labels(arch);
        VisionModel model = VisionModel.create(arch, labels.size(), check.head(), check.channels());
        try {
            model.load(check.checkedWeights(model, labels.size(), "load it again"), file.toString());
            model.eval();
            if (options.channelsLast()) {
                model.channelsLast(true);
            }
            if (options.foldBatchNorm()) {
                NativeErrors.run("folding BatchNorm of " + file, model::foldBatchNorm);
            }
            return new Predictor(file, manifest, model, options);
        } catch (RuntimeException e) {
            model.release();
            throw e;
        }
    }

    /** The model file's manifest: labels, preprocessing, provenance. */
    public Manifest manifest() {
        return manifest;
    }

    /** Class names (or regression value names) in model-output order. */
    public List<String> labels() {
        return labels;
    }

    /** {@code single-label}, {@code multi-label} or {@code regression}. */
    public String task() {
        return task;
    }

    /** {height, width} of the images the model takes (after the item transforms). */
    public int[] inputSize() {
        return new int[] {height, width};
    }

    /** The file this predictor was loaded from. */
    public Path source() {
        return source;
    }

    /** A file of the model's input kind (an image, or a sound file for an audio model). */
    public Prediction predict(Path file) {
        return predictFiles(List.of(file)).get(0);
    }

    public Prediction predict(BufferedImage image) {
        return predict(ImageDecoder.fromBufferedImage(image));
    }

    /** An encoded image in memory (an upload); {@code name} appears in errors. */
    public Prediction predict(byte[] bytes, String name) {
        return predict(decoder.decode(bytes, name));
    }

    /** An encoded image read from {@code in} to its end (not closed); {@code name} appears in errors. */
    public Prediction predict(InputStream in, String name) {
        return predict(decoder.decode(in, name));
    }

    public Prediction predict(RgbImage image) {
        return predictBatch(List.of(image)).get(0);
    }

    /**
     * Files of the model's input kind (images, sound files, ...), decoded and preprocessed as the model file records,
     * predicted in batches; the first unreadable file stops it with its error.
     */
    public List<Prediction> predictFiles(List<Path> files) {
        return predictFiles(pipeline, files);
    }

    /**
     * Like {@link #predictFiles} but a file that cannot be read gets its error instead of stopping the others (what
     * {@code kodiak predict} prints), in the order of {@code files}.
     */
    public List<FilePrediction> predictEach(List<Path> files) {
        return predictEach(pipeline, files);
    }

    private <X> List<Prediction> predictFiles(InputPipeline<X> p, List<Path> files) {
        List<X> items = new ArrayList<>(files.size());
        for (Path f : files) {
            items.add(p.load(f));
        }
        return predictItems(p, items);
    }

    private <X> List<FilePrediction> predictEach(InputPipeline<X> p, List<Path> files) {
        List<Object> loaded = files.parallelStream().map(f -> {
            try {
                return (Object) p.load(f);
            } catch (KodiakException e) {
                return new FilePrediction(f, null, e.getMessage());
            }
        }).toList();
        List<X> items = new ArrayList<>();
        for (Object o : loaded) {
            if (!(o instanceof FilePrediction)) {
                @SuppressWarnings("unchecked")
                X x = (X) o;
                items.add(x);
            }
        }
        List<Prediction> predictions = predictItems(p, items);
        List<FilePrediction> out = new ArrayList<>(files.size());
        int next = 0;
        for (int i = 0; i < files.size(); i++) {
            out.add(loaded.get(i) instanceof FilePrediction f ? f
                    : new FilePrediction(files.get(i), predictions.get(next++), null));
        }
        return out;
    }

    // Decoded items through the recorded item transforms (in parallel), then batches through the kind's encoder.
    private <X> List<Prediction> predictItems(InputPipeline<X> p, List<X> items) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<X> ready = items.size() == 1 ? List.of(p.prepare(items.get(0)))
                : items.parallelStream().map(p::prepare).toList();
        return predictReady(p, ready);
    }

    /** The HTML {@code accept} tokens of the model's input kind, for a page's file picker ({@code image/*}, ...). */
    public List<String> accept() {
        return InputKinds.byName(manifest.input().kind()).accept();
    }

    /**
     * An uploaded file of the model's input kind (an image, a sound file, a recording), decoded from its bytes under
     * {@code limits} and prepared as the model sees it, ready for {@link #predictPrepared}; the errors name
     * {@code name}.
     */
    public Object prepareUpload(byte[] bytes, String name, dev.kodiak.data.UploadLimits limits) {
        return prepareUpload(pipeline, bytes, name, limits);
    }

    private static <X> X prepareUpload(InputPipeline<X> p, byte[] bytes, String name,
                                       dev.kodiak.data.UploadLimits limits) {
        @SuppressWarnings("unchecked") // the kind decodes into the items of the pipeline it made
        X item = (X) InputKinds.byName(p.block().kind()).decodeUpload(p, bytes, name, limits);
        return p.prepare(item);
    }

    /** Predictions for inputs {@link #prepareUpload} made, in order, {@link PredictorOptions#maxBatch()} per pass. */
    public List<Prediction> predictPrepared(List<?> inputs) {
        return predictPreparedAs(pipeline, inputs);
    }

    @SuppressWarnings("unchecked") // prepareUpload made them with this very pipeline
    private <X> List<Prediction> predictPreparedAs(InputPipeline<X> p, List<?> inputs) {
        return inputs.isEmpty() ? List.of() : predictReady(p, (List<X>) inputs);
    }

    private <X> List<Prediction> predictReady(InputPipeline<X> p, List<X> ready) {
        List<Prediction> out = new ArrayList<>(ready.size());
        lock.readLock().lock();
        try {
            if (closed) {
                throw new KodiakException("this predictor (" + source + ") is closed");
            }
            for (int start = 0; start < ready.size(); start += options.maxBatch()) {
                List<X> chunk = ready.subList(start, Math.min(ready.size(), start + options.maxBatch()));
                float[] outputs = forwardEncoded(() -> NativeTensors.unwrap(p.batchPrepared(chunk)));
                int k = labels.size();
                for (int i = 0; i < chunk.size(); i++) {
                    out.add(decode(outputs, i * k));
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /** Predictions for decoded images, in order, {@link PredictorOptions#maxBatch()} images per forward pass. */
    public List<Prediction> predictBatch(List<RgbImage> images) {
        if (images.isEmpty()) {
            return List.of();
        }
        List<RgbImage> ready = images.size() == 1 ? List.of(preprocess(images.get(0)))
                : images.parallelStream().map(this::preprocess).toList();
        List<Prediction> out = new ArrayList<>(images.size());
        lock.readLock().lock();
        try {
            if (closed) {
                throw new KodiakException("this predictor (" + source + ") is closed");
            }
            for (int start = 0; start < ready.size(); start += options.maxBatch()) {
                List<RgbImage> chunk = ready.subList(start, Math.min(ready.size(), start + options.maxBatch()));
                float[] outputs = forward(chunk);
                int k = labels.size();
                for (int i = 0; i < chunk.size(); i++) {
                    out.add(decode(outputs, i * k));
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /**
     * The image as the model sees it, before normalization: the recorded item transforms in their validation mode
     * (e.g. centre crop to 128x128).
     */
    public RgbImage preprocess(RgbImage image) {
        RgbImage x = image;
        Rng rng = Rng.of(0, 0, 0); // validation mode draws nothing; transforms still take a stream
        for (ItemTransform<RgbImage> t : transforms) {
            x = t.apply(x, rng, false);
        }
        if (x.height() != height || x.width() != width) {
            throw new KodiakException("the model's item transforms made a " + x.width() + "x" + x.height()
                    + " image, but the model takes " + width + "x" + height);
        }
        return x;
    }

    /**
     * Draws files of the model's input kind in a grid as the model sees them (images after the item transforms,
     * sound as spectrograms), each under its caption.
     */
    public void drawInputs(List<Path> files, List<String> captions, int columns, Path png) {
        drawInputs(pipeline, files, captions, columns, png);
    }

    private static <X> void drawInputs(InputPipeline<X> p, List<Path> files, List<String> captions, int columns,
                                       Path png) {
        List<X> items = new ArrayList<>(files.size());
        for (Path f : files) {
            items.add(p.prepare(p.load(f)));
        }
        p.block().drawGrid(items, captions, columns, png);
    }

    /** Decodes an image file with this predictor's limits (the errors name the file and the reason). */
    public RgbImage decode(Path image) {
        return decoder.decode(image);
    }

    /** Waits for predictions in flight, then frees the model's native memory. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                model.release();
                buffers.clear();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // Activated outputs [n * k] for preprocessed images, all height x width.
    private float[] forward(List<RgbImage> images) {
        int n = images.size();
        int bytes = batchBytes(n);
        ByteBuffer pixels = buffers.poll();
        if (pixels == null || pixels.capacity() < bytes) {
            pixels = ByteBuffer.allocateDirect(batchBytes(options.maxBatch())); // n <= maxBatch
        }
        try {
            pixels.clear();
            for (RgbImage img : images) {
                pixels.put(img.pixels());
            }
            pixels.flip();
            ByteBuffer input = pixels;
            return forwardEncoded(() -> Tensors.fromUint8Hwc(input, n, height, width, 3));
        } finally {
            buffers.offer(pixels);
        }
    }

    // Activated outputs for the batch {@code encoded} makes (before normalization), inside one step scope.
    private float[] forwardEncoded(java.util.function.Supplier<Tensor> encoded) {
        try (StepScope scope = StepScope.open(); GradMode inference = Engine.inferenceMode()) {
            return NativeErrors.call("predicting with " + source, () -> {
                // Kodiak's tensor only at the two public calls; the batch and the forward pass stay native
                Tensor x = NativeTensors.unwrap(normalize.encode(NativeTensors.wrap(encoded.get())));
                if (options.channelsLast()) {
                    x = ChannelsLast.of(x);
                }
                Tensor y;
                try (Autocast bf16 = Autocast.bf16(options.bf16())) {
                    y = NativeTensors.unwrap(model.forward(NativeTensors.wrap(x)));
                }
                Tensor activated = NativeTensors.unwrap(outputDecoder.activate(NativeTensors.wrap(y)));
                return Tensors.toFloats(activated);
            });
        }
    }

    // Pixels of n inputs, refused (not wrapped around) past what one buffer holds.
    private int batchBytes(int n) {
        long bytes = (long) n * height * width * 3;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new KodiakException("a batch of " + n + " images of " + width + "x" + height + " takes " + bytes
                    + " bytes, more than one buffer holds (2 GB): predict with a smaller batch");
        }
        return (int) bytes;
    }

    private Prediction decode(float[] outputs, int offset) {
        int k = labels.size();
        for (int j = 0; j < k; j++) {
            if (!Float.isFinite(outputs[offset + j])) { // never hand out NaN as an answer
                throw new KodiakException("model file " + source + " gives " + outputs[offset + j] + " for "
                        + labels.get(j) + ": its weights or normalization are broken; export the model again");
            }
        }
        Answer a = outputDecoder.decode(outputs, offset);
        return new Prediction(task, a.label(), a.index(), a.probabilities(), a.labels(), a.values());
    }
}
