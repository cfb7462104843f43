package dev.kodiak.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.DoubleSupplier;

/**
 * The server's numbers for {@code GET /metrics}, kept and written by the Prometheus Java client: requests by route,
 * method and status; request latency; micro-batch sizes and model time per batch; gauges such as the queue length.
 * Each instance has its own registry, so several servers in one JVM (tests) keep separate counts. Thread-safe.
 */
public final class Metrics {
    static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128};

    private final String prefix;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;
    private final Histogram batchSize;
    private final Histogram batchSeconds;
    private final Counter images;
    private final LongAccumulator largestBatch = new LongAccumulator(Math::max, 0);

    /** @param prefix metric name prefix, e.g. {@code kodiak} */
    public Metrics(String prefix) {
        this.prefix = prefix;
        // classic histograms only: the text format (0.0.4) has no native ones; no exemplars: there is no tracing
        requests = Counter.builder().name(prefix + "_http_requests_total")
                .help("HTTP requests answered, by route, method and status.").labelNames("route", "method", "status")
                .withoutExemplars().register(registry);
        latency = Histogram.builder().name(prefix + "_http_request_duration_seconds")
                .help("Time from request start to response, by route and method.").labelNames("route", "method")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(registry);
        batchSize = Histogram.builder().name(prefix + "_batch_size")
                .help("Images per forward pass of the model (micro-batches).")
                .classicOnly().classicUpperBounds(BATCH_BUCKETS).withoutExemplars().register(registry);
        batchSeconds = Histogram.builder().name(prefix + "_batch_duration_seconds").help("Model time per micro-batch.")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(registry);
        images = Counter.builder().name(prefix + "_images_predicted_total").help("Images the model has answered.")
                .withoutExemplars().register(registry);
    }

    /** One answered HTTP request. {@code route} is the matched route pattern (not the raw path: bounded labels). */
    public void request(String method, String route, int status, double seconds) {
        requests.labelValues(route, method, Integer.toString(status)).inc();
        latency.labelValues(route, method).observe(seconds);
    }

    /** One batch of {@code size} images ran through the model in {@code seconds}. */
    public void batch(int size, double seconds) {
        batchSize.observe(size);
        batchSeconds.observe(seconds);
        images.inc(size);
        largestBatch.accumulate(size);
    }

    /** A value read at scrape time (e.g. images waiting in the queue), named {@code prefix_name}; once per name. */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(prefix + "_" + name).help(help)
                .callback(callback -> callback.call(value.getAsDouble())).register(registry);
    }

    /** Requests counted so far with this route and status, over all methods (for tests and the benchmark). */
    public long requests(String route, int status) {
        double n = 0;
        for (CounterDataPointSnapshot p : requests.collect().getDataPoints()) {
            if (route.equals(p.getLabels().get("route")) && Integer.toString(status).equals(p.getLabels().get("status"))) {
                n += p.getValue();
            }
        }
        return (long) n;
    }

    /** The largest batch run so far. */
    public int largestBatch() {
        return (int) largestBatch.get();
    }

    /** The media type of {@link #scrape()}: Prometheus's text format, version 0.0.4. */
    public String contentType() {
        return writer.getContentType();
    }

    /** Everything, in Prometheus's text exposition format. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
