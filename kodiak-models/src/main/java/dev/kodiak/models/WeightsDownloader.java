package dev.kodiak.models;

import dev.kodiak.KodiakException;
import dev.kodiak.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Downloads published weights into the cache: into {@code <file>.part} (resumed with an HTTP range request when a
 * previous attempt was cut off), then the SHA-256 check, then an atomic move to the final name and an index entry.
 * A file that fails the check is deleted (only our own {@code .part}) and never reaches the cache.
 */
public final class WeightsDownloader {
    private final HttpClient client;
    private final Function<String, DownloadProgress> progress;

    /** A downloader that shows a progress bar on a terminal. */
    public WeightsDownloader() {
        this(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build(), DownloadProgress::forTerminal);
    }

    WeightsDownloader(HttpClient client, Function<String, DownloadProgress> progress) {
        this.client = client;
        this.progress = progress;
    }

    /**
     * The cached file of {@code weights}, downloading it first if needed (from the mirror of {@code config} if one is
     * set). Offline, a missing file is an error that says which URL to fetch and where to put it.
     */
    public Path fetch(PretrainedWeights weights, WeightsConfig config) {
        WeightsCache cache = new WeightsCache(config.cacheDir());
        var cached = cache.find(weights);
        if (cached.isPresent()) {
            return cached.get();
        }
        String url = weights.urlOn(config.mirrorUrl());
        if (config.offline()) {
            throw new KodiakException(offlineMessage(weights, url, cache));
        }
        Path target = cache.pathOf(weights);
        Path part = target.resolveSibling(weights.fileName() + ".part");
        try {
            Files.createDirectories(cache.dir());
            download(url, part, weights.name());
        } catch (IOException e) {
            long kept = partSize(part);
            if (kept <= 0) {
                AtomicFiles.deleteQuietly(part); // nothing arrived: leave no empty file behind
                throw new KodiakException("cannot download " + weights.name() + " from " + url + " ("
                        + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                        + "): no network? Fetch the file elsewhere and put it at " + target
                        + " (or run `kodiak weights import FILE --arch " + weights.architecture() + "`)", e);
            }
            throw new KodiakException("the download of " + weights.name() + " from " + url + " was interrupted ("
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + "); " + kept
                    + " bytes are kept in " + part + " and the next attempt resumes from there", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KodiakException("the download of " + weights.name() + " was interrupted; run it again to resume", e);
        }
        String actual = WeightsCache.sha256(part);
        long size = partSize(part);
        if (!weights.matches(actual) || (weights.sizeBytes() >= 0 && size != weights.sizeBytes())) {
            AtomicFiles.deleteQuietly(part);
            throw new KodiakException("the file downloaded from " + url + " is not " + weights.name() + ": its SHA-256 is "
                    + actual + " (" + size + " bytes) but " + weights.hashDescription()
                    + (weights.sizeBytes() >= 0 ? " (" + weights.sizeBytes() + " bytes)" : "")
                    + ". It was deleted and nothing was stored in the cache; check the URL or mirror and try again.");
        }
        try {
            AtomicFiles.move(part, target);
        } catch (IOException e) {
            throw new KodiakException("cannot move " + part + " to " + target + ": " + e.getMessage(), e);
        }
        cache.record(new CachedWeights(weights.name(), weights.fileName(), actual, size, url,
                weights.architecture().name(), Instant.now().toString()));
        return target;
    }

    /**
     * A small file (a config) read whole into memory: refused past {@code maxBytes}, an HTTP error names the URL.
     * Small files are not resumed; they are fetched again.
     */
    byte[] fetchSmall(String url, int maxBytes) {
        try {
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url)).GET()
                    .timeout(Duration.ofMinutes(2)).build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new KodiakException("cannot download " + url + ": the server answered HTTP "
                            + response.statusCode() + (response.statusCode() == 404 ? " (not found)" : ""));
                }
                byte[] bytes = body.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new KodiakException("the file at " + url + " is larger than " + maxBytes
                            + " bytes, far more than it should be; refused");
                }
                return bytes;
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new KodiakException("cannot download " + url + " (" + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName()) + "): no network? Set KODIAK_HF_ENDPOINT to a reachable mirror", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KodiakException("the download of " + url + " was interrupted", e);
        }
    }

    /** What to do without network: which URL to fetch and where the file goes. */
    static String offlineMessage(PretrainedWeights weights, String url, WeightsCache cache) {
        return "the weights " + weights.name() + " are not in the cache " + cache.dir() + " and downloads are off "
                + "(KODIAK_OFFLINE=1). Fetch " + url + " on a machine with network access and put it at "
                + cache.pathOf(weights) + ", or import a copy: kodiak weights import FILE --arch "
                + weights.architecture().name();
    }

    private void download(String url, Path part, String task) throws IOException, InterruptedException {
        long have = partSize(part);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET().timeout(Duration.ofMinutes(30));
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        int status = response.statusCode();
        try (InputStream body = response.body()) {
            boolean append;
            if (status == 206 && have > 0 && response.headers().firstValue("Content-Range").orElse("")
                    .startsWith("bytes " + have + "-")) {
                append = true;
            } else if (status == 416 && have > 0) {
                return; // the server has nothing past what we hold: the part file is complete, the hash decides
            } else if (status == 200) {
                append = false; // no range support (or a fresh start): begin again
            } else {
                throw new KodiakException("cannot download " + url + ": the server answered HTTP " + status
                        + (status == 404 ? " (not found)" : ""));
            }
            long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long done = append ? have : 0;
            try (DownloadProgress bar = progress.apply(task);
                    OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                bar.start(length < 0 ? -1 : done + length, done);
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = body.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    bar.advance(n);
                }
            }
        }
    }

    private static long partSize(Path part) {
        try {
            return Files.isRegularFile(part) ? Files.size(part) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
