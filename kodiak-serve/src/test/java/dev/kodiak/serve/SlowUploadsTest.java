package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.predict.Predictor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Clients that send their request bodies a byte at a time (slowloris) cannot take every request thread: uploads read
 * at once are capped below the thread count (one more gets an immediate 503), and a body must arrive within the
 * body timeout and never pause longer than the idle timeout (else 408), so {@code /healthz} and the page still answer.
 */
class SlowUploadsTest {
    private static final int SLOW_CLIENTS = 40;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Test
    void dribblingUploadsLeaveThreadsForHealthAndThePageAndExtraUploadsGet503AtOnce() throws Exception {
        // 16 threads, 8 of which may read uploads: 40 dribbling clients would otherwise hold all 16
        ServeOptions options = ServeOptions.defaults().port(0).threads(16).bodyTimeoutMillis(60_000).idleTimeoutMillis(60_000);
        assertThat(options.maxUploads()).isEqualTo(8);
        List<Socket> sockets = new CopyOnWriteArrayList<>();
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        ExecutorService readers = Executors.newFixedThreadPool(SLOW_CLIENTS);
        PredictServer server = PredictServer.start(Predictor.load(TestModel.shared()), options);
        try {
            CountDownLatch refused = new CountDownLatch(SLOW_CLIENTS - 8);
            List<String> unexpected = new CopyOnWriteArrayList<>();
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                Socket s = RawHttp.connect(server.port(), 20_000);
                sockets.add(s);
                s.getOutputStream().write((RawHttp.postHeaders("/api/predict", "image/png", 1_000_000) + "x")
                        .getBytes(StandardCharsets.ISO_8859_1));
                readers.submit(() -> {
                    try {
                        RawHttp.Reply r = RawHttp.read(s.getInputStream());
                        if (r.status() == 503 && "1".equals(r.headers().get("retry-after"))
                                && r.json().get("error").asText().startsWith("the server is busy: 8 uploads")) {
                            refused.countDown();
                        } else {
                            unexpected.add(r.status() + " " + r.text());
                        }
                    } catch (IOException e) {
                        // an admitted client: its body never completes; the test closes it
                    }
                    return null;
                });
            }
            // one byte per connection every 200 ms, until the test ends
            dribbler.scheduleAtFixedRate(() -> sockets.forEach(SlowUploadsTest::dribble), 200, 200, TimeUnit.MILLISECONDS);

            assertThat(refused.await(10, TimeUnit.SECONDS)).as("uploads over the cap refused at once; other answers: "
                    + unexpected).isTrue();
            assertThat(unexpected).isEmpty();
            assertThat(server.metrics().scrape()).contains("kodiak_uploads_in_progress 8.0\n");

            HttpResponse<String> health = get(server.url().resolve("/healthz"));
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"ok\"");
            assertThat(get(server.url()).statusCode()).isEqualTo(200);

            HttpResponse<String> extra = CLIENT.send(HttpRequest.newBuilder(server.url().resolve("/api/predict"))
                    .timeout(Duration.ofSeconds(3)).header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100])).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(extra.statusCode()).isEqualTo(503);
            assertThat(extra.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(Http.JSON.readTree(extra.body()).get("error").asText()).startsWith("the server is busy");
            assertThat(server.metrics().requests("/api/predict", 503)).isGreaterThanOrEqualTo(SLOW_CLIENTS - 8 + 1);
        } finally {
            dribbler.shutdownNow();
            for (Socket s : sockets) {
                s.close();
            }
            readers.shutdownNow();
            server.close(); // after the sockets: a graceful stop waits for the uploads in flight
        }
    }

    @Test
    void aBodyThatTricklesInIsCutOffAtTheBodyTimeoutWith408() throws Exception {
        // bytes arrive every 100 ms, so the 10 s idle timeout never fires; the 1 s body timeout does
        ServeOptions options = ServeOptions.defaults().port(0).bodyTimeoutMillis(1000).idleTimeoutMillis(10_000);
        try (PredictServer server = PredictServer.start(Predictor.load(TestModel.shared()), options)) {
            Http.Multipart m = Http.multipartBody(new Http.Part("file", "slow.png", new byte[50_000]));
            String partHeaders = new String(m.body(), 0, 200, StandardCharsets.ISO_8859_1);
            partHeaders = partHeaders.substring(0, partHeaders.indexOf("\r\n\r\n") + 4); // then the file's bytes trickle
            for (String[] start : List.of(new String[] {"image/png", "x"}, new String[] {m.contentType(), partHeaders})) {
                RawHttp.Reply r = trickle(server.port(), start[0], start[1], 100);
                assertThat(r.status()).as(r.text()).isEqualTo(408);
                assertThat(r.headers().get("content-type")).startsWith("application/json");
                assertThat(r.json().get("error").asText()).startsWith("the request body did not arrive within 1 s");
            }
            assertThat(get(server.url().resolve("/healthz")).statusCode()).isEqualTo(200);
            assertThat(server.metrics().scrape()).contains("kodiak_uploads_in_progress 0.0\n");
        }
    }

    @Test
    void aBodyThatStopsArrivingIsCutOffAtTheIdleTimeoutWith408() throws Exception {
        ServeOptions options = ServeOptions.defaults().port(0).bodyTimeoutMillis(60_000).idleTimeoutMillis(500);
        try (PredictServer server = PredictServer.start(Predictor.load(TestModel.shared()), options)) {
            RawHttp.Reply r = trickle(server.port(), "image/png", "x", 0);
            assertThat(r.status()).as(r.text()).isEqualTo(408);
            assertThat(r.json().get("error").asText()).startsWith("the request body stopped arriving");
            // headers that stop arriving: the connection is closed (reads would time out after 10 s instead)
            try (Socket s = RawHttp.connect(server.port(), 10_000)) {
                s.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.ISO_8859_1));
                assertThat(s.getInputStream().readAllBytes()).isEmpty();
            }
        }
    }

    /**
     * Announces a 100 kB body, sends its {@code start}, then a byte every {@code everyMillis} (never, when 0) and
     * returns the server's answer, which must come while the body is still incomplete (reads time out after 10 s).
     */
    private static RawHttp.Reply trickle(int port, String contentType, String start, long everyMillis) throws Exception {
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        try (Socket s = RawHttp.connect(port, 10_000)) {
            s.getOutputStream().write((RawHttp.postHeaders("/api/predict", contentType, 100_000) + start)
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (everyMillis > 0) {
                dribbler.scheduleAtFixedRate(() -> dribble(s), everyMillis, everyMillis, TimeUnit.MILLISECONDS);
            }
            return RawHttp.read(s.getInputStream());
        } finally {
            dribbler.shutdownNow();
        }
    }

    private static void dribble(Socket s) {
        try {
            OutputStream out = s.getOutputStream();
            out.write('x');
            out.flush();
        } catch (IOException e) {
            // the server closed it (refused or cut off): nothing more to send
        }
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
