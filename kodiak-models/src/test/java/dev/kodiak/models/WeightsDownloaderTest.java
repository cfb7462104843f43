package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kodiak.KodiakException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a server on 127.0.0.1 started by the test; nothing leaves the machine. */
class WeightsDownloaderTest {
    @TempDir
    Path cacheDir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final byte[] payload = new byte[300_000];
    private volatile boolean cutFirstResponse;
    private volatile byte[] served;

    @BeforeEach
    void start() throws IOException {
        new Random(1).nextBytes(payload);
        served = payload;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        requests.add(ex.getRequestURI().getPath() + (range == null ? "" : " " + range));
        if (!ex.getRequestURI().getPath().endsWith("/tiny-abc.pth")) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        byte[] body = served;
        int from = 0;
        if (range != null && range.startsWith("bytes=")) {
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            ex.sendResponseHeaders(206, body.length - from);
        } else {
            ex.sendResponseHeaders(200, body.length);
        }
        try (OutputStream out = ex.getResponseBody()) {
            if (cutFirstResponse) {
                cutFirstResponse = false;
                out.write(body, from, 100_000);
                out.flush(); // then drop the connection mid-body
                throw new IOException("simulated network failure");
            }
            out.write(body, from, body.length - from);
        }
    }

    private PretrainedWeights weights(String sha256) {
        return new PretrainedWeights("tiny", Architectures.RESNET18, url("/models/tiny-abc.pth"), "tiny-abc.pth",
                sha256, -1, WeightsRegistry.IMAGENET_MEAN, WeightsRegistry.IMAGENET_STD, 256, 224, 1000, "test", "test");
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private WeightsDownloader downloader() {
        return new WeightsDownloader(HttpClient.newHttpClient(), task -> DownloadProgress.none());
    }

    private WeightsConfig online() {
        return new WeightsConfig(cacheDir, false, null);
    }

    @Test
    void aDownloadIsCheckedMovedIntoTheCacheAndIndexedWithItsFullHash() throws Exception {
        String sha = sha256(payload);
        Path file = downloader().fetch(weights(sha.substring(0, 8)), online());

        assertThat(file).isEqualTo(cacheDir.resolve("tiny-abc.pth")).hasBinaryContent(payload);
        assertThat(cacheDir.resolve("tiny-abc.pth.part")).doesNotExist();
        CachedWeights entry = new WeightsCache(cacheDir).entry("tiny").orElseThrow();
        assertThat(entry.sha256()).isEqualTo(sha);
        assertThat(entry.size()).isEqualTo(payload.length);
        assertThat(entry.source()).isEqualTo(url("/models/tiny-abc.pth"));

        // a second fetch is served by the cache
        downloader().fetch(weights(sha.substring(0, 8)), online());
        assertThat(requests).hasSize(1);
    }

    @Test
    void aChecksumMismatchIsRejectedAndLeavesNoFileInTheCache() throws Exception {
        PretrainedWeights w = weights("00000000");
        assertThatThrownBy(() -> downloader().fetch(w, online())).isInstanceOf(KodiakException.class)
                .hasMessageContaining("is not tiny: its SHA-256 is " + sha256(payload))
                .hasMessageContaining("sha256 starts with 00000000")
                .hasMessageContaining("nothing was stored in the cache");
        try (Stream<Path> files = Files.list(cacheDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anInterruptedDownloadResumesWhereItStopped() throws Exception {
        cutFirstResponse = true;
        String sha = sha256(payload);
        assertThatThrownBy(() -> downloader().fetch(weights(sha), online())).isInstanceOf(KodiakException.class)
                .hasMessageContaining("was interrupted").hasMessageContaining("resumes");
        Path part = cacheDir.resolve("tiny-abc.pth.part");
        assertThat(part).exists();
        long kept = Files.size(part);
        assertThat(kept).isPositive().isLessThan(payload.length);

        Path file = downloader().fetch(weights(sha), online());
        assertThat(file).hasBinaryContent(payload);
        assertThat(requests).last().isEqualTo("/models/tiny-abc.pth bytes=" + kept + "-");
        assertThat(part).doesNotExist();
    }

    @Test
    void offlineNothingIsRequestedAndTheMessageSaysWhatToFetchAndWhereToPutIt() {
        PretrainedWeights w = weights("");
        assertThatThrownBy(() -> downloader().fetch(w, new WeightsConfig(cacheDir, true, null)))
                .isInstanceOf(KodiakException.class)
                .hasMessageContaining("KODIAK_OFFLINE=1")
                .hasMessageContaining("Fetch " + url("/models/tiny-abc.pth"))
                .hasMessageContaining("put it at " + cacheDir.resolve("tiny-abc.pth"));
        assertThat(requests).isEmpty();
    }

    @Test
    void aMirrorServesTheCacheFileNames() throws Exception {
        Path file = downloader().fetch(weights(""), new WeightsConfig(cacheDir, false, url("/mirror")));
        assertThat(file).hasBinaryContent(payload);
        assertThat(requests).containsExactly("/mirror/tiny-abc.pth");
        // no published hash: the first download pins it
        assertThat(new WeightsCache(cacheDir).entry("tiny").orElseThrow().sha256()).isEqualTo(sha256(payload));
    }

    @Test
    void aPinnedFileThatChangesIsRefused() throws Exception {
        Path file = downloader().fetch(weights(""), online());
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> downloader().fetch(weights(""), online())).isInstanceOf(KodiakException.class)
                .hasMessageContaining("does not hold the weights tiny").hasMessageContaining("pinned at its first download");
    }

    @Test
    void anHttpErrorIsReported() {
        PretrainedWeights w = new PretrainedWeights("gone", Architectures.RESNET18, url("/nope/gone.pth"), "gone.pth",
                "", -1, WeightsRegistry.IMAGENET_MEAN, WeightsRegistry.IMAGENET_STD, 256, 224, 1000, "t", "t");
        assertThatThrownBy(() -> downloader().fetch(w, online())).hasMessageContaining("HTTP 404");
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
