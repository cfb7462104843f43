package dev.kodiak.gather;

import dev.kodiak.KodiakException;
import dev.kodiak.vision.ImageDecodeException;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.ImageFormat;
import dev.kodiak.vision.RgbImage;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches search results in parallel (at most {@link DownloadOptions#parallelism()} at once, and
 * {@link DownloadOptions#perHost()} per host) and keeps only real images: the bytes are sniffed and fully decoded
 * (with the decoder's limits) before anything reaches the dataset. Each good image waits in a temporary file
 * for {@link Gatherer} to name it by its content hash, or drop it as a duplicate.
 */
public final class Downloader implements AutoCloseable {
    /** What the downloader asks image hosts for: the formats Kodiak reads. */
    static final String ACCEPT = "image/webp,image/png,image/jpeg,image/gif,image/bmp;q=0.9,image/*;q=0.5";

    private final HttpFetcher http;
    private final ImageDecoder decoder;
    private final int minSize;
    private final ExecutorService pool;
    // Decoding is CPU-bound and a decoded photo can take hundreds of MB: one decode per core at a time.
    private final Semaphore decoding = new Semaphore(Runtime.getRuntime().availableProcessors());

    /**
     * @param minSize images smaller than this on either side are rejected ({@link RejectReason#TOO_SMALL}); 0: none
     */
    public Downloader(DownloadOptions options, ImageDecoder decoder, int minSize, Clock clock, Sleeper sleeper) {
        if (minSize < 0) {
            throw new KodiakException("minSize must not be negative, got " + minSize);
        }
        this.http = new HttpFetcher(options, sleeper, clock);
        this.decoder = decoder;
        this.minSize = minSize;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.parallelism(), r -> {
            Thread t = new Thread(r, "kodiak-download-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts fetching {@code result}; the temporary file of a good image goes into {@code partialDir}. */
    public CompletableFuture<Download> start(SearchResult result, Path partialDir) {
        return CompletableFuture.supplyAsync(() -> fetch(result, partialDir), pool);
    }

    /** Fetches and checks one result now, on the calling thread. */
    public Download fetch(SearchResult result, Path partialDir) {
        try {
            URI uri = parse(result.imageUrl());
            byte[] bytes = http.get(uri, Map.of("Accept", ACCEPT), http.options().maxBytes()).body();
            return check(result, bytes, partialDir);
        } catch (FetchException e) {
            return new Download.Rejected(result, e.reason(), e.getMessage());
        }
    }

    private Download check(SearchResult result, byte[] bytes, Path partialDir) {
        RgbImage image;
        try {
            decoding.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KodiakException("interrupted while checking " + result.imageUrl(), e);
        }
        try {
            image = decoder.decode(bytes, result.imageUrl());
        } catch (ImageDecodeException e) {
            return new Download.Rejected(result, RejectReason.of(e.reason()), e.detail());
        } finally {
            decoding.release();
        }
        if (image.width() < minSize || image.height() < minSize) {
            return new Download.Rejected(result, RejectReason.TOO_SMALL, "the image is " + image.width() + "x"
                    + image.height() + ", smaller than the minimum size " + minSize);
        }
        ImageFormat format = ImageFormat.detect(bytes).orElseThrow(); // the decoder accepted it, so it is known
        try {
            Files.createDirectories(partialDir);
            Path temp = Files.createTempFile(partialDir, "download-", "." + format.extension());
            Files.write(temp, bytes);
            return new Download.Image(result, temp, format, sha256(bytes), PerceptualHash.of(image), image.width(),
                    image.height());
        } catch (IOException e) {
            throw new KodiakException("cannot write a downloaded image to " + partialDir + ": " + e.getMessage(), e);
        }
    }

    /** A URL as given, or with spaces escaped (search engines return some like that). */
    private static URI parse(String url) {
        try {
            return new URI(url.strip().replace(" ", "%20"));
        } catch (URISyntaxException e) {
            throw new FetchException(RejectReason.NOT_HTTP, url + " is not a valid address (" + e.getReason() + ")");
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
