package dev.kodiak.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/**
 * The server's numbers in Prometheus's text format (version 0.0.4), for {@code GET /metrics}: requests by route,
 * method and status; request latency; micro-batch sizes and model time per batch; gauges such as the queue length.
 * Thread-safe and lock-free on the recording side.
 */
public final class Metrics {
    static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128};

    private final String prefix;
    private final Map<String, LongAdder> requests = new ConcurrentSkipListMap<>();
    private final Map<String, Histogram> latency = new ConcurrentSkipListMap<>();
    private final Histogram batchSize = new Histogram(BATCH_BUCKETS);
    private final Histogram batchSeconds = new Histogram(LATENCY_BUCKETS);
    private final LongAdder images = new LongAdder();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    private record Gauge(String help, DoubleSupplier value) {
    }

    /** @param prefix metric name prefix, e.g. {@code kodiak} */
    public Metrics(String prefix) {
        this.prefix = prefix;
    }

    /** One answered HTTP request. {@code route} is the matched route pattern (not the raw path: bounded labels). */
    public void request(String method, String route, int status, double seconds) {
        String labels = "route=\"" + escape(route) + "\",method=\"" + escape(method) + "\"";
        requests.computeIfAbsent(labels + ",status=\"" + status + "\"", k -> new LongAdder()).increment();
        latency.computeIfAbsent(labels, k -> new Histogram(LATENCY_BUCKETS)).observe(seconds);
    }

    /** One batch of {@code size} images ran through the model in {@code seconds}. */
    public void batch(int size, double seconds) {
        batchSize.observe(size);
        batchSeconds.observe(seconds);
        images.add(size);
    }

    /** A value read at scrape time (e.g. images waiting in the queue). */
    public void gauge(String name, String help, DoubleSupplier value) {
        gauges.put(name, new Gauge(help, value));
    }

    /** Requests counted so far with this route and status (for tests and the benchmark). */
    public long requests(String route, int status) {
        long n = 0;
        for (Map.Entry<String, LongAdder> e : requests.entrySet()) {
            if (e.getKey().startsWith("route=\"" + escape(route) + "\"") && e.getKey().endsWith("status=\"" + status + "\"")) {
                n += e.getValue().sum();
            }
        }
        return n;
    }

    /** The largest batch run so far. */
    public int largestBatch() {
        return (int) batchSize.max();
    }

    /** Everything, in Prometheus's text exposition format. */
    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        String req = prefix + "_http_requests_total";
        header(out, req, "HTTP requests answered, by route, method and status.", "counter");
        requests.forEach((labels, n) -> line(out, req, "{" + labels + "}", n.sum()));
        String lat = prefix + "_http_request_duration_seconds";
        header(out, lat, "Time from request start to response, by route and method.", "histogram");
        latency.forEach((labels, h) -> h.write(out, lat, labels));
        String bs = prefix + "_batch_size";
        header(out, bs, "Images per forward pass of the model (micro-batches).", "histogram");
        batchSize.write(out, bs, "");
        String bt = prefix + "_batch_duration_seconds";
        header(out, bt, "Model time per micro-batch.", "histogram");
        batchSeconds.write(out, bt, "");
        String im = prefix + "_images_predicted_total";
        header(out, im, "Images the model has answered.", "counter");
        line(out, im, "", images.sum());
        new java.util.TreeMap<>(gauges).forEach((name, g) -> {
            header(out, prefix + "_" + name, g.help(), "gauge");
            line(out, prefix + "_" + name, "", g.value().getAsDouble());
        });
        return out.toString();
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void line(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(number(value)).append('\n');
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Cumulative buckets, sum and count, as Prometheus histograms are. */
    private static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder overflow = new LongAdder(); // above the last bound
        private final java.util.concurrent.atomic.AtomicLong maxBits = new java.util.concurrent.atomic.AtomicLong(
                Double.doubleToLongBits(0));

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double v) {
            int i = 0;
            while (i < bounds.length && v > bounds[i]) {
                i++;
            }
            (i < bounds.length ? counts[i] : overflow).increment();
            sum.add(v);
            maxBits.accumulateAndGet(Double.doubleToLongBits(v),
                    (a, b) -> Double.longBitsToDouble(a) >= Double.longBitsToDouble(b) ? a : b);
        }

        double max() {
            return Double.longBitsToDouble(maxBits.get());
        }

        void write(StringBuilder out, String name, String labels) {
            String sep = labels.isEmpty() ? "" : labels + ",";
            long cumulative = 0;
            Map<String, Long> rows = new LinkedHashMap<>();
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                rows.put(number(bounds[i]), cumulative);
            }
            // the count is the sum of the buckets read here, so +Inf and _count agree with the buckets
            long total = cumulative + overflow.sum();
            rows.put("+Inf", total);
            List<String> lines = new ArrayList<>();
            rows.forEach((le, n) -> lines.add(name + "_bucket{" + sep + "le=\"" + le + "\"} " + n));
            lines.forEach(l -> out.append(l).append('\n'));
            String braces = labels.isEmpty() ? "" : "{" + labels + "}";
            line(out, name + "_sum", braces, sum.sum());
            line(out, name + "_count", braces, total);
        }
    }
}
