package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON API over real HTTP on 127.0.0.1, with a real (tiny) model. */
class PredictServerTest {
    static final long LIMIT = 256 * 1024;
    static Path model;
    static PredictServer server;
    static Http http;
    static byte[] red;
    static byte[] blue;

    @BeforeAll
    static void start() {
        model = TestModel.shared();
        server = PredictServer.start(Predictor.load(model), ServeOptions.defaults().port(0).maxUploadBytes(LIMIT)
                .maxPixels(1_000_000));
        http = new Http(server.url());
        Random random = new Random(99);
        red = TestModel.png(TestModel.square("red", random));
        blue = TestModel.png(TestModel.square("blue", random));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void predictsAnUploadedFileAsOneJsonObject() {
        Http.Response r = http.multipart("/api/predict", new Http.Part("file", "red.png", red));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.get("label").asText()).isIn("blue", "red");
        assertThat(j.get("index").asInt()).isEqualTo(TestModel.LABELS.indexOf(j.get("label").asText()));
        assertThat(j.get("model").asText()).isEqualTo("colours");
        assertThat(j.get("file").asText()).isEqualTo("red.png");
        assertThat(j.get("millis").asDouble()).isPositive();
        JsonNode p = j.get("probabilities");
        assertThat(List.of(p.fieldNames().next(), "")).first().isEqualTo("blue");
        assertThat(p.get("blue").asDouble() + p.get("red").asDouble()).isCloseTo(1.0, within(1e-5));
        assertThat(p.get(j.get("label").asText()).asDouble()).isGreaterThanOrEqualTo(0.5);
    }

    @Test
    void theAnswerMatchesThePredictorCalledDirectly() throws Exception {
        Prediction direct;
        try (Predictor p = Predictor.load(model)) {
            direct = p.predict(red, "red.png");
        }
        JsonNode j = http.post("/api/predict", "image/png", red).json();
        assertThat(j.get("label").asText()).isEqualTo(direct.label());
        assertThat(j.get("probabilities").get("red").asDouble()).isCloseTo(direct.probabilities().get("red"), within(1e-4));
    }

    @Test
    void aRawBodyWorksToo() {
        Http.Response r = http.post("/api/predict?name=shot.png", "application/octet-stream", blue);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("file").asText()).isEqualTo("shot.png");
        assertThat(r.json().get("probabilities").size()).isEqualTo(2);
    }

    @Test
    void severalFilesInOneRequestGiveAnArrayInTheSameOrder() {
        Http.Response r = http.multipart("/api/predict", new Http.Part("file", "a.png", red),
                new Http.Part("file", "b.png", blue), new Http.Part("file", "c.png", red));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.isArray()).isTrue();
        assertThat(j.size()).isEqualTo(3);
        assertThat(List.of(j.get(0).get("file").asText(), j.get(1).get("file").asText(), j.get(2).get("file").asText()))
                .containsExactly("a.png", "b.png", "c.png");
        assertThat(j.get(0).get("probabilities")).isEqualTo(j.get(2).get("probabilities")); // same image, same answer
    }

    @Test
    void modelHealthAndMetricsEndpoints() {
        JsonNode m = http.get("/api/model").json();
        assertThat(m.get("name").asText()).isEqualTo("colours");
        assertThat(m.get("labels").toString()).isEqualTo("[\"blue\",\"red\"]");
        assertThat(m.get("task").asText()).isEqualTo("single-label");
        assertThat(m.get("architecture").asText()).isEqualTo("resnet18");
        assertThat(m.get("input_size").toString()).isEqualTo("[32,32]");
        assertThat(m.get("max_upload_bytes").asLong()).isEqualTo(LIMIT);
        Http.Response h = http.get("/healthz");
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.json().get("status").asText()).isEqualTo("ok");
        http.get("/api/model");
        Http.Response metrics = http.get("/metrics");
        assertThat(metrics.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.text()).contains("# TYPE kodiak_http_requests_total counter",
                "kodiak_http_requests_total{method=\"GET\",route=\"/api/model\",status=\"200\"} ",
                "# TYPE kodiak_batch_size histogram", "kodiak_batch_size_bucket{le=\"+Inf\"} ",
                "kodiak_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/model\",le=\"0.005\"} ",
                "kodiak_queue_waiting 0.0");
    }

    @Test
    void metricsCountEveryRequestExactly() throws Exception {
        // A server of its own: the shared one also counts the other tests' requests. All requests share one
        // kept-alive connection, so each is answered and counted before the server reads the next one.
        try (PredictServer fresh = PredictServer.start(Predictor.load(model), ServeOptions.defaults().port(0));
             Socket s = RawHttp.connect(fresh.port(), 10_000)) {
            for (int i = 0; i < 3; i++) {
                assertThat(get(s, "/api/model").status()).isEqualTo(200);
            }
            assertThat(post(s, red).status()).isEqualTo(200);
            assertThat(post(s, blue).status()).isEqualTo(200);
            assertThat(post(s, "not an image".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(415);
            assertThat(get(s, "/nowhere").status()).isEqualTo(404);
            RawHttp.Reply scrape = get(s, "/metrics");
            assertThat(scrape.headers().get("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            List<String> lines = scrape.text().lines().toList();
            // the scrape itself is counted once it has been answered, so it is not in its own numbers
            assertThat(lines).filteredOn(l -> l.startsWith("kodiak_http_requests_total{")).containsExactlyInAnyOrder(
                    "kodiak_http_requests_total{method=\"GET\",route=\"/api/model\",status=\"200\"} 3.0",
                    "kodiak_http_requests_total{method=\"POST\",route=\"/api/predict\",status=\"200\"} 2.0",
                    "kodiak_http_requests_total{method=\"POST\",route=\"/api/predict\",status=\"415\"} 1.0",
                    "kodiak_http_requests_total{method=\"GET\",route=\"other\",status=\"404\"} 1.0");
            assertThat(lines).contains(
                    "kodiak_http_request_duration_seconds_count{method=\"GET\",route=\"/api/model\"} 3",
                    "kodiak_http_request_duration_seconds_count{method=\"POST\",route=\"/api/predict\"} 3",
                    "kodiak_batch_size_bucket{le=\"1.0\"} 2", "kodiak_batch_size_bucket{le=\"+Inf\"} 2",
                    "kodiak_batch_size_count 2", "kodiak_batch_size_sum 2.0", "kodiak_batch_duration_seconds_count 2",
                    "kodiak_images_predicted_total 2.0", "kodiak_queue_waiting 0.0", "kodiak_uploads_in_progress 0.0");
            assertThat(fresh.metrics().requests("/api/predict", 200)).isEqualTo(2);
            assertThat(fresh.metrics().largestBatch()).isEqualTo(1);
        }
    }

    private static RawHttp.Reply get(Socket s, String path) throws IOException {
        return exchange(s, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", new byte[0]);
    }

    private static RawHttp.Reply post(Socket s, byte[] image) throws IOException {
        return exchange(s, RawHttp.postHeaders("/api/predict", "image/png", image.length), image);
    }

    private static RawHttp.Reply exchange(Socket s, String head, byte[] body) throws IOException {
        s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().write(body);
        s.getOutputStream().flush();
        return RawHttp.read(s.getInputStream());
    }

    @Test
    void thePageAndItsAssetsAreServedFromTheJar() {
        Http.Response page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.text()).contains("<input id=\"file\"", "accept=\"image/*\"", "/static/predict.js")
                .doesNotContain("http://", "https://"); // no CDN: works offline
        assertThat(http.get("/static/predict.js").status()).isEqualTo(200);
        assertThat(http.get("/static/app.css").text()).contains(".bars");
    }

    @Test
    void aBodyOverTheLimitIs413WithContentLengthOrChunked() {
        byte[] big = new byte[(int) LIMIT + 10];
        Http.Response declared = http.post("/api/predict", "image/png", big);
        assertThat(declared.status()).as(declared.text()).isEqualTo(413);
        assertThat(declared.json().get("error").asText()).contains("256 KB");
        Http.Response chunked = http.postChunked("/api/predict", "image/png", big);
        assertThat(chunked.status()).as(chunked.text()).isEqualTo(413);
        Http.Multipart m = Http.multipartBody(new Http.Part("file", "big.png", big));
        Http.Response multipart = http.postChunked("/api/predict", m.contentType(), m.body());
        assertThat(multipart.status()).as(multipart.text()).isEqualTo(413);
        assertThat(http.get("/healthz").status()).isEqualTo(200);
    }

    @Test
    void notAnImageIs415() {
        Http.Response html = http.multipart("/api/predict", new Http.Part("file", "page.jpg",
                "<!doctype html><html><body>404</body></html>".getBytes(StandardCharsets.UTF_8)));
        assertThat(html.status()).as(html.text()).isEqualTo(415);
        assertThat(html.json().get("error").asText()).startsWith("cannot read image page.jpg: ");
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(http.post("/api/predict", "image/tiff", tiff).status()).isEqualTo(415);
    }

    @Test
    void aDecompressionBombIs422() {
        Http.Response r = http.post("/api/predict?name=bomb.png", "image/png", pngClaiming(60_000, 60_000));
        assertThat(r.status()).as(r.text()).isEqualTo(422);
        assertThat(r.json().get("error").asText()).contains("bomb.png");
        assertThat(r.text()).doesNotContain("at dev.kodiak", "Exception");
    }

    @Test
    void aMissingFileIs400() {
        Http.Response field = http.multipart("/api/predict", new Http.Part("note", null, "hi".getBytes(StandardCharsets.UTF_8)));
        assertThat(field.status()).as(field.text()).isEqualTo(400);
        assertThat(field.json().get("error").asText()).contains("'file'");
        Http.Response empty = http.post("/api/predict", null, new byte[0]);
        assertThat(empty.status()).as(empty.text()).isEqualTo(400);
        Http.Response broken = http.post("/api/predict", "multipart/form-data; boundary=xyz", "garbage".getBytes(StandardCharsets.UTF_8));
        assertThat(broken.status()).as(broken.text()).isEqualTo(400);
    }

    @Test
    void anUnknownRouteIsAJson404() {
        Http.Response r = http.get("/nothing/here");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asText()).isEqualTo("no such page or endpoint: GET /nothing/here");
        assertThat(http.get("/static/../../etc/passwd").status()).isIn(400, 404);
    }

    @Test
    void concurrentClientsAreAllAnsweredCorrectlyAndBatched() throws Exception {
        Map<String, Double> redP;
        Map<String, Double> blueP;
        try (Predictor p = Predictor.load(model)) {
            redP = p.predict(red, "r").probabilities();
            blueP = p.predict(blue, "b").probabilities();
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    List<String> problems = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        boolean isRed = (client + i) % 2 == 0;
                        Http.Response r = http.post("/api/predict", "image/png", isRed ? red : blue);
                        if (r.status() != 200) {
                            problems.add(r.status() + " " + r.text());
                            continue;
                        }
                        double p = r.json().get("probabilities").get("red").asDouble();
                        if (Math.abs(p - (isRed ? redP : blueP).get("red")) > 1e-4) {
                            problems.add("client " + client + " request " + i + " got p(red)=" + p);
                        }
                    }
                    return problems;
                }));
            }
            for (Future<List<String>> f : clients) {
                assertThat(f.get()).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.metrics().largestBatch()).isGreaterThan(1);
        String text = http.get("/metrics").text();
        long singles = bucket(text, "1.0");
        long total = bucket(text, "+Inf");
        assertThat(total).isGreaterThan(singles); // some batches held more than one image
        assertThat(server.metrics().requests("/api/predict", 200)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterInsteadOfWaitingForever() throws Exception {
        Predictor predictor = Predictor.load(model);
        Semaphore reached = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        BatchModel held = images -> { // holds every batch until the test lets go, so the queue stays full
            reached.release();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return predictor.predictPrepared(images);
        };
        try (PredictServer busy = PredictServer.start(predictor, held, ServeOptions.defaults().port(0).maxBatch(1)
                .queueCapacity(1))) {
            Http client = new Http(busy.url());
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                ExecutorCompletionService<Http.Response> answers = new ExecutorCompletionService<>(pool);
                answers.submit(() -> client.post("/api/predict", "image/png", red));
                assertThat(reached.tryAcquire(60, TimeUnit.SECONDS)).as("the first image reached the model").isTrue();
                for (int i = 0; i < 5; i++) {
                    answers.submit(() -> client.post("/api/predict", "image/png", red));
                }
                // one of the five fills the queue; while the model holds the first, the other four can only be refused
                for (int i = 0; i < 4; i++) {
                    Http.Response r = nextAnswer(answers);
                    assertThat(r.status()).as(r.text()).isEqualTo(503);
                    assertThat(r.header("Retry-After")).isEqualTo("1");
                    assertThat(r.json().get("error").asText()).startsWith("the server is busy");
                }
                release.countDown();
                for (int i = 0; i < 2; i++) {
                    Http.Response r = nextAnswer(answers);
                    assertThat(r.status()).as(r.text()).isEqualTo(200);
                }
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
        }
    }

    /** The next answer to arrive (a guard against a hang, not a measurement). */
    private static Http.Response nextAnswer(ExecutorCompletionService<Http.Response> answers) throws Exception {
        Future<Http.Response> next = answers.poll(60, TimeUnit.SECONDS);
        assertThat(next).as("an answer within a minute").isNotNull();
        return next.get();
    }

    @Test
    void moreImagesThanTheQueueHoldsIs413NotBusy() {
        try (PredictServer small = PredictServer.start(Predictor.load(model), ServeOptions.defaults().port(0)
                .queueCapacity(4))) {
            Http client = new Http(small.url());
            Http.Response four = client.multipart("/api/predict", parts(4, red));
            assertThat(four.status()).as(four.text()).isEqualTo(200);
            assertThat(four.json().size()).isEqualTo(4);
            Http.Response five = client.multipart("/api/predict", parts(5, red)); // could never fit: not 503
            assertThat(five.status()).as(five.text()).isEqualTo(413);
            assertThat(five.json().get("error").asText()).startsWith("the request carries more than 4 images");
            // past Jetty's own limit on parts (1000) the answer is the same
            Http.Response many = client.multipart("/api/predict", parts(1001, new byte[] {1}));
            assertThat(many.status()).as(many.text()).isEqualTo(413);
            assertThat(many.json().get("error").asText()).startsWith("the request carries more than 4 images");
        }
    }

    private static Http.Part[] parts(int n, byte[] image) {
        Http.Part[] parts = new Http.Part[n];
        for (int i = 0; i < n; i++) {
            parts[i] = new Http.Part("file", i + ".png", image);
        }
        return parts;
    }

    private static long bucket(String metrics, String le) {
        for (Iterator<String> it = metrics.lines().iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.startsWith("kodiak_batch_size_bucket{le=\"" + le + "\"} ")) {
                return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no batch-size bucket " + le + " in\n" + metrics);
    }

    /** A valid PNG signature and IHDR chunk claiming {@code w} x {@code h} pixels, and nothing else. */
    static byte[] pngClaiming(int w, int h) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        b.putInt(13);
        int start = b.position();
        b.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(b.array(), start, 17);
        b.putInt((int) crc.getValue());
        b.putInt(0).put(new byte[] {'I', 'E', 'N', 'D'}).putInt(0xAE426082);
        return b.array();
    }
}
