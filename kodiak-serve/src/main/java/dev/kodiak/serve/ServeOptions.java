package dev.kodiak.serve;

import dev.kodiak.KodiakException;
import java.util.Locale;

/**
 * How {@code kodiak serve} listens and batches.
 *
 * @param host              interface to bind; {@code 127.0.0.1} keeps the server on this machine
 * @param port              TCP port; 0 picks a free one (tests)
 * @param maxUploadBytes    largest request body (larger: 413)
 * @param maxPixels         largest image by width × height, read from its header before decoding (larger: 422)
 * @param maxBatch          most images per forward pass
 * @param maxWaitMillis     longest wait for more images after the first one of a batch arrived
 * @param queueCapacity     most images waiting for the model (more: 503 with {@code Retry-After}); also the most images
 *                          one request may carry (more: 413)
 * @param threads           request threads (each decodes its own upload)
 * @param graceMillis       longest wait for requests in flight on shutdown
 * @param maxUploads        most requests with a body read at once, below {@code threads} so that slow uploads cannot
 *                          take every thread (more: an immediate 503 with {@code Retry-After})
 * @param idleTimeoutMillis longest pause of a connection: while a request or its body is arriving (then 408) or
 *                          between requests
 * @param bodyTimeoutMillis longest time a whole request body may take to arrive, however it trickles in (then 408)
 * @param maxSeconds        longest sound upload in seconds (longer: 422 {@code too-long}); 0 keeps the model's limit
 */
public record ServeOptions(String host, int port, long maxUploadBytes, long maxPixels, int maxBatch,
                           double maxWaitMillis, int queueCapacity, int threads, long graceMillis, int maxUploads,
                           long idleTimeoutMillis, long bodyTimeoutMillis, double maxSeconds) {
    public ServeOptions {
        if (!(maxSeconds >= 0) || Double.isInfinite(maxSeconds)) {
            throw new KodiakException("the limit of seconds per sound upload must be 0 (the model's) or positive, got "
                    + maxSeconds);
        }
        if (host == null || host.isBlank()) {
            throw new KodiakException("host must not be empty (127.0.0.1 for this machine only, 0.0.0.0 for every interface)");
        }
        if (port < 0 || port > 65535) {
            throw new KodiakException("port must be between 0 and 65535, got " + port);
        }
        if (maxUploadBytes < 1024 || maxUploadBytes > Integer.MAX_VALUE - 16) {
            throw new KodiakException("the upload limit must be between 1 KB and 2 GB, got " + maxUploadBytes + " bytes");
        }
        if (maxPixels < 1 || maxBatch < 1 || queueCapacity < 1 || threads < 2 || !(maxWaitMillis >= 0) || graceMillis < 0) {
            throw new KodiakException("maxPixels, maxBatch and queueCapacity must be at least 1, threads at least 2, "
                    + "maxWaitMillis and graceMillis at least 0");
        }
        if (maxUploads < 1 || maxUploads > threads / 2) {
            throw new KodiakException("maxUploads (uploads read at once) must be between 1 and half the threads ("
                    + threads / 2 + ") so that slow uploads leave threads for everything else; got " + maxUploads);
        }
        if (idleTimeoutMillis < 100 || bodyTimeoutMillis < 100) {
            throw new KodiakException("the idle and body timeouts must be at least 100 ms, got " + idleTimeoutMillis
                    + " and " + bodyTimeoutMillis + " ms");
        }
    }

    /**
     * 127.0.0.1:8080, 10 MB uploads, 50 megapixels, batches of up to 16 gathered for up to 5 ms, 256 waiting,
     * 64 threads of which 16 may read uploads at once, connections idle for at most 15 s, bodies within 60 s.
     */
    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 8080, 10L * 1024 * 1024, 50_000_000L, 16, 5, 256, 64, 30_000, 16,
                15_000, 60_000, 0);
    }

    public ServeOptions host(String h) {
        return new ServeOptions(h, port, maxUploadBytes, maxPixels, maxBatch, maxWaitMillis, queueCapacity, threads,
                graceMillis, maxUploads, idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions port(int p) {
        return new ServeOptions(host, p, maxUploadBytes, maxPixels, maxBatch, maxWaitMillis, queueCapacity, threads,
                graceMillis, maxUploads, idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions maxUploadBytes(long b) {
        return new ServeOptions(host, port, b, maxPixels, maxBatch, maxWaitMillis, queueCapacity, threads,
                graceMillis, maxUploads, idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions maxPixels(long p) {
        return new ServeOptions(host, port, maxUploadBytes, p, maxBatch, maxWaitMillis, queueCapacity, threads,
                graceMillis, maxUploads, idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions maxBatch(int n) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, n, maxWaitMillis, queueCapacity, threads,
                graceMillis, maxUploads, idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions maxWaitMillis(double ms) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxBatch, ms, queueCapacity, threads,
                graceMillis, maxUploads, idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions queueCapacity(int n) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxBatch, maxWaitMillis, n, threads,
                graceMillis, maxUploads, idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    /** The request threads; the upload cap follows when it would no longer fit (at most half the threads). */
    public ServeOptions threads(int n) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxBatch, maxWaitMillis, queueCapacity, n,
                graceMillis, Math.max(1, Math.min(maxUploads, n / 2)), idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions graceMillis(long ms) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxBatch, maxWaitMillis, queueCapacity, threads,
                ms, maxUploads, idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions maxUploads(int n) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxBatch, maxWaitMillis, queueCapacity, threads,
                graceMillis, n, idleTimeoutMillis, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions idleTimeoutMillis(long ms) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxBatch, maxWaitMillis, queueCapacity, threads,
                graceMillis, maxUploads, ms, bodyTimeoutMillis, maxSeconds);
    }

    public ServeOptions bodyTimeoutMillis(long ms) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxBatch, maxWaitMillis, queueCapacity, threads,
                graceMillis, maxUploads, idleTimeoutMillis, ms, maxSeconds);
    }

    /** Longest sound upload in seconds; 0 keeps the limit the model file records. */
    public ServeOptions maxSeconds(double s) {
        return new ServeOptions(host, port, maxUploadBytes, maxPixels, maxBatch, maxWaitMillis, queueCapacity, threads,
                graceMillis, maxUploads, idleTimeoutMillis, bodyTimeoutMillis, s);
    }

    /** What one upload may be, for the model's input kind to apply. */
    public dev.kodiak.data.UploadLimits uploadLimits() {
        return new dev.kodiak.data.UploadLimits(maxUploadBytes, maxPixels, maxSeconds);
    }

    /** E.g. {@code 10 MB}, {@code 512 KB}. */
    static String megabytes(long bytes) {
        return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB"
                : bytes >= 1024 * 1024 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0) : bytes / 1024 + " KB";
    }

    /** E.g. {@code 60 s}, {@code 1.5 s}. */
    static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
