package dev.kodiak.serve;

import dev.kodiak.data.UploadLimits;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kodiak serve}: the upload-and-predict page at {@code /}, the JSON API ({@code POST /api/predict},
 * {@code GET /api/model}), {@code GET /healthz} and {@code GET /metrics}; documented in docs/http-api.md.
 * <pre>{@code
 * PredictServer server = PredictServer.start(Predictor.load(Path.of("bears.kodiak")), ServeOptions.defaults());
 * server.closeOnShutdown();        // SIGTERM: finish requests in flight, then free the model
 * server.awaitClose();
 * }</pre>
 * Uploads are decoded through the model's input kind (images, sound files, browser recordings) and prepared on the
 * request threads; a single dispatcher gathers them into micro-batches for
 * the model (see {@link MicroBatcher}); when too many images wait, requests get 503 with {@code Retry-After}.
 * The server owns the predictor it was given: {@link #close()} closes it.
 */
public final class PredictServer implements AutoCloseable {
    private static final long ANSWER_TIMEOUT_SECONDS = 120;

    private final Predictor predictor;
    private final ServeOptions options;
    private final String modelName;
    private final UploadLimits limits;
    // A 50-megapixel upload needs 150 MB decoded: at most this many decode at once, whatever the thread count.
    private final java.util.concurrent.Semaphore decodeSlots =
            new java.util.concurrent.Semaphore(Math.max(2, Runtime.getRuntime().availableProcessors()));
    private final Metrics metrics = new Metrics("kodiak");
    private final MicroBatcher<Object, Prediction> batcher;
    private final WebServer web;
    private final CountDownLatch closed = new CountDownLatch(1);
    private boolean closing;

    private PredictServer(Predictor predictor, BatchModel model, ServeOptions options) {
        this.predictor = predictor;
        this.options = options;
        this.modelName = modelName(predictor);
        this.limits = options.uploadLimits();
        this.batcher = new MicroBatcher<>(images -> {
            long t0 = System.nanoTime();
            List<Prediction> out = model.predictBatch(images);
            metrics.batch(images.size(), (System.nanoTime() - t0) / 1e9);
            return out;
        }, options.maxBatch(), options.maxWaitMillis(), options.queueCapacity());
        metrics.gauge("queue_waiting", "Images waiting for the model now.", batcher::waiting);
        this.web = new WebServer(options, metrics, this::routes);
    }

    /** Starts serving {@code predictor} (which the server then owns). */
    public static PredictServer start(Predictor predictor, ServeOptions options) {
        return start(predictor, predictor::predictPrepared, options);
    }

    /** As {@link #start(Predictor, ServeOptions)}, with {@code model} running the batches (tests slow it down). */
    public static PredictServer start(Predictor predictor, BatchModel model, ServeOptions options) {
        PredictServer server = new PredictServer(predictor, model, options);
        try {
            server.web.start();
        } catch (RuntimeException e) {
            server.batcher.close(0);
            predictor.close();
            throw new dev.kodiak.KodiakException("cannot start the server on " + options.host() + ":" + options.port()
                    + ": " + rootMessage(e) + " (is the port in use? pick another with --port)", e);
        }
        return server;
    }

    private void routes(WebServer w, JavalinConfig c) {
        w.get(c, "/", ctx -> WebServer.page(ctx, "index.html"));
        w.get(c, "/healthz", ctx -> WebServer.json(ctx, Map.of("status", "ok", "model", modelName)));
        w.get(c, "/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
        w.get(c, "/api/model", ctx -> WebServer.json(ctx, modelSummary()));
        w.post(c, "/api/predict", this::predict);
    }

    private void predict(Context ctx) {
        long t0 = System.nanoTime();
        List<Upload> uploads = RequestImages.read(ctx, options.maxUploadBytes(), options.queueCapacity());
        List<Object> images = new ArrayList<>(uploads.size());
        for (Upload u : uploads) {
            images.add(decodeAndPrepare(u)); // on this request's thread
        }
        List<CompletableFuture<Prediction>> futures = new ArrayList<>(images.size());
        try {
            for (Object image : images) {
                futures.add(batcher.submit(image));
            }
        } catch (MicroBatcher.QueueFullException e) {
            futures.forEach(f -> f.cancel(false));
            throw new ApiError(503, e.getMessage(), 1);
        }
        List<Map<String, Object>> answers = new ArrayList<>(images.size());
        for (int i = 0; i < futures.size(); i++) {
            Prediction p = await(futures.get(i));
            answers.add(answer(p, uploads.get(i).name(), t0));
        }
        WebServer.json(ctx, answers.size() == 1 ? answers.get(0) : answers);
    }

    private Object decodeAndPrepare(Upload u) {
        try {
            decodeSlots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "the server is shutting down", 1);
        }
        try {
            return predictor.prepareUpload(u.bytes(), u.name(), limits);
        } finally {
            decodeSlots.release();
        }
    }

    private Map<String, Object> answer(Prediction p, String file, long t0) {
        Map<String, Object> json = new LinkedHashMap<>(p.toJson(file));
        json.put("model", modelName);
        json.put("millis", Math.round((System.nanoTime() - t0) / 1e4) / 100.0);
        return json;
    }

    private static Prediction await(CompletableFuture<Prediction> f) {
        try {
            return f.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new ApiError(503, "the model did not answer within " + ANSWER_TIMEOUT_SECONDS + " s; try again", 5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "the server is shutting down", 1);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** What {@code GET /api/model} answers: the manifest's summary (no weights, no training data paths). */
    Map<String, Object> modelSummary() {
        Manifest m = predictor.manifest();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", modelName);
        s.put("task", m.output().task() == null ? Manifest.SINGLE_LABEL : m.output().task());
        s.put("labels", m.output().labels());
        s.put("architecture", m.model().architecture());
        s.put("input_kind", m.input().kind());
        s.put("accept", predictor.accept());
        int[] size = predictor.inputSize();
        s.put("input_size", List.of(size[0], size[1]));
        if (m.output().threshold() != null) {
            s.put("threshold", m.output().threshold());
        }
        if (m.output().thresholdTuned() != null) {
            s.put("threshold_tuned", m.output().thresholdTuned());
        }
        if (m.output().yRange() != null) {
            s.put("y_range", m.output().yRange());
        }
        s.put("kodiak_version", m.kodiakVersion());
        s.put("created_at", m.createdAt());
        if (m.training() != null) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("recipe", m.training().recipe() == null ? null : m.training().recipe().describe());
            t.put("pretrained", m.training().pretrained());
            t.put("epochs", m.training().epochs());
            t.put("metrics", m.training().metrics());
            t.values().removeIf(java.util.Objects::isNull);
            s.put("training", t);
        }
        s.put("max_upload_bytes", options.maxUploadBytes());
        s.put("max_pixels", options.maxPixels());
        if (options.maxSeconds() > 0) {
            s.put("max_seconds", options.maxSeconds());
        } else if (m.input().parameters() != null && m.input().parameters().get("max_seconds") != null) {
            s.put("max_seconds", m.input().parameters().get("max_seconds"));
        }
        return s;
    }

    /** The port the server listens on (the real one when started with port 0). */
    public int port() {
        return web.port();
    }

    /** E.g. {@code http://127.0.0.1:8080/}. */
    public URI url() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    public Metrics metrics() {
        return metrics;
    }

    /** The model's labels (or regression value names), in output order. */
    public List<String> labels() {
        return predictor.labels();
    }

    /** The model's name as shown on the page: the model file's name without {@code .kodiak}. */
    public String modelName() {
        return modelName;
    }

    /** Closes the server when the JVM is asked to stop (SIGTERM, Ctrl-C): in-flight requests finish first. */
    public void closeOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "kodiak-serve-shutdown"));
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /**
     * Graceful stop: new requests get 503, requests in flight are answered (waiting up to the options' grace
     * period), then the HTTP server, the batcher and the predictor are closed. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            web.stop();
            batcher.close(options.graceMillis());
            predictor.close();
        } finally {
            closed.countDown();
        }
    }

    private static String modelName(Predictor predictor) {
        String file = predictor.source().getFileName().toString();
        return file.toLowerCase(Locale.ROOT).endsWith(".kodiak") ? file.substring(0, file.length() - 7) : file;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
