package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Load on a running {@code kodiak serve}: for each client count, a fixed number of {@code POST /api/predict}
 * requests with one image, spread over that many concurrent clients; prints requests/second, p50/p99 latency and the
 * server's mean micro-batch size. Loopback only.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Requests/second and p50/p99 latency of a running `kodiak serve` at several client counts (loopback only).")
final class ServeBenchCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "URL", description = "The server, e.g. http://127.0.0.1:8080/")
    URI url;

    @Option(names = "--image", required = true, description = "The image every request sends.")
    Path image;

    @Option(names = "--clients", split = ",", defaultValue = "1,4,16", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--requests", defaultValue = "200", description = "Timed requests per client count (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warmup", defaultValue = "20", description = "Untimed requests first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--max-seconds", defaultValue = "120", description = "Stop a level after this long (default: ${DEFAULT-VALUE}).")
    int maxSeconds;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        Output o = new Output(spec, false);
        checkLoopback();
        if (requests < 1 || clients.stream().anyMatch(c -> c < 1 || c > 256)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--requests must be >= 1 and clients 1..256");
        }
        byte[] body;
        try {
            body = Files.readAllBytes(image);
        } catch (IOException e) {
            throw new KodiakException("cannot read " + image + ": " + e.getMessage(), e);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI predict = url.resolve("/api/predict");
        for (int i = 0; i < warmup; i++) {
            send(http, predict, body);
        }
        BenchMachine.say(o);
        o.say("%-8s %9s %10s %10s %10s %7s %11s", "clients", "requests", "req/s", "p50 ms", "p99 ms", "errors", "mean batch");
        for (int c : clients) {
            double[] before = batches(http);
            Level r = level(http, predict, body, c);
            double[] after = batches(http);
            double meanBatch = after[1] > before[1] ? (after[0] - before[0]) / (after[1] - before[1]) : Double.NaN;
            o.say("%-8d %9d %10.1f %10.1f %10.1f %7d %11.2f", c, r.latencies().length, r.latencies().length / r.seconds(),
                    percentile(r.latencies(), 0.50), percentile(r.latencies(), 0.99), r.errors(), meanBatch);
        }
    }

    private record Level(double[] latencies, double seconds, int errors) {
    }

    private Level level(HttpClient http, URI predict, byte[] body, int c) {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(c);
        long t0 = System.nanoTime();
        List<Future<List<Double>>> futures = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            futures.add(pool.submit(() -> {
                List<Double> mine = new ArrayList<>();
                while (next.getAndIncrement() < requests && System.nanoTime() < deadline) {
                    long s = System.nanoTime();
                    if (send(http, predict, body) == 200) {
                        mine.add((System.nanoTime() - s) / 1e6);
                    } else {
                        errors.incrementAndGet();
                    }
                }
                return mine;
            }));
        }
        List<Double> all = new ArrayList<>();
        try {
            for (Future<List<Double>> f : futures) {
                all.addAll(f.get());
            }
        } catch (Exception e) {
            throw new KodiakException("the load client failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double[] lat = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Level(lat, seconds, errors.get());
    }

    private static int send(HttpClient http, URI predict, byte[] body) {
        try {
            HttpRequest req = HttpRequest.newBuilder(predict).header("Content-Type", "application/octet-stream")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** {sum, count} of the server's kodiak_batch_size histogram. */
    private double[] batches(HttpClient http) {
        try {
            String text = http.send(HttpRequest.newBuilder(url.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, Double> v = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("kodiak_batch_size_sum ") || line.startsWith("kodiak_batch_size_count ")) {
                    String[] parts = line.split(" ");
                    v.put(parts[0], Double.parseDouble(parts[1]));
                }
            }
            return new double[] {v.getOrDefault("kodiak_batch_size_sum", 0.0), v.getOrDefault("kodiak_batch_size_count", 0.0)};
        } catch (IOException | InterruptedException e) {
            return new double[] {0, 0};
        }
    }

    static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    // Names are not resolved (no DNS lookups): only literal loopback hosts are accepted.
    private void checkLoopback() {
        String host = url.getHost() == null ? "" : url.getHost();
        boolean loopback = host.equals("localhost") || host.equals("[::1]") || host.equals("::1")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
        if (!loopback) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "the load client only drives servers on this machine (127.0.0.1 or localhost), not " + url);
        }
    }
}
