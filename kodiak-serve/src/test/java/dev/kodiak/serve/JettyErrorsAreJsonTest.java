package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The errors Jetty and Javalin answer themselves, before or around the routes, are the documented
 * {@code {"error": "..."}} JSON on both servers, not HTML or plain text.
 */
class JettyErrorsAreJsonTest {
    @TempDir
    static Path tmp;
    static PredictServer predict;
    static CleanServer clean;

    @BeforeAll
    static void start() {
        predict = PredictServer.start(Predictor.load(TestModel.shared()), ServeOptions.defaults().port(0));
        Path data = tmp.resolve("colours");
        clean = CleanServer.start(data, Predictor.load(TestModel.copyWithModel(data, tmp.resolve("colours.kodiak"))), 0);
    }

    @AfterAll
    static void stop() {
        if (predict != null) {
            predict.close();
        }
        if (clean != null) {
            clean.close();
        }
    }

    static List<Integer> ports() {
        return List.of(predict.port(), clean.port());
    }

    @Test
    void aMalformedRequestLineIsAJson400() {
        for (int port : ports()) {
            RawHttp.Reply r = RawHttp.exchange(port, "GET /he\u0001llo HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
            assertJsonError(r, 400, "malformed HTTP request");
        }
    }

    @Test
    void aUrlOverTheLimitIsAJson414() {
        for (int port : ports()) {
            RawHttp.Reply r = RawHttp.exchange(port, "GET /healthz?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: 127.0.0.1:"
                    + port + "\r\n\r\n");
            assertJsonError(r, 414, "URL is too long: the request line may be at most 8 KB");
        }
    }

    @Test
    void headersOverTheLimitAreAJson431() {
        for (int port : ports()) {
            RawHttp.Reply r = RawHttp.exchange(port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nCookie: " + "a".repeat(10_000) + "\r\n\r\n");
            assertJsonError(r, 431, "headers are too large: at most 8 KB");
        }
    }

    @Test
    void theCleanersBodyOverTheLimitIsAJson413() {
        String big = "{\"path\": \"" + "a".repeat(70 * 1024) + "\"}";
        RawHttp.Reply r = RawHttp.exchange(clean.port(), RawHttp.postHeaders("/api/delete", "application/json",
                big.length()).replace("Host: 127.0.0.1", "Host: 127.0.0.1:" + clean.port()) + big);
        assertJsonError(r, 413, "larger than the limit of 64 KB");
        Http.Response chunked = new Http(clean.url()).postChunked("/api/delete", "application/json",
                big.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(chunked.status()).as(chunked.text()).isEqualTo(413);
        assertThat(chunked.header("Content-Type")).startsWith("application/json");
        assertThat(chunked.json().get("error").asText()).contains("larger than the limit of 64 KB");
    }

    private static void assertJsonError(RawHttp.Reply r, int status, String says) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.headers().get("content-type")).as(r.text()).startsWith("application/json");
        assertThat(r.json().get("error").asText()).contains(says);
        assertThat(r.json().size()).isEqualTo(1);
    }
}
