package dev.kodiak.gather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HttpFetcherTest {
    private static final byte[] BODY = "hello".getBytes(StandardCharsets.UTF_8);
    TestServer server;
    FakeTime time = new FakeTime();
    HttpFetcher http;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
        http = fetcher(DownloadOptions.builder().retries(2).readTimeout(Duration.ofMillis(300)).maxRedirects(3)
                .build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpFetcher fetcher(DownloadOptions options) {
        // the test server is on 127.0.0.1
        return new HttpFetcher(options.toBuilder().allowPrivateAddresses(true).build(), time, time);
    }

    private HttpFetcher.Response get(String path, long max) {
        return http.get(URI.create(server.url(path)), Map.of(), max);
    }

    private RejectReason reason(String path, long max) {
        try {
            get(path, max);
        } catch (FetchException e) {
            return e.reason();
        }
        throw new AssertionError("no failure for " + path);
    }

    @Test
    void followsRedirectsItselfAndSendsKodiaksUserAgent() {
        server.on("/a", TestServer.redirect("/b")).on("/b", TestServer.redirect(server.url("/c")))
                .on("/c", TestServer.bytes("text/plain", BODY));
        HttpFetcher.Response r = get("/a", 100);
        assertThat(r.text()).isEqualTo("hello");
        assertThat(r.uri().getPath()).isEqualTo("/c");
        assertThat(server.lastHeaders("/c").getFirst("User-Agent")).startsWith("Kodiak/");
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void aRedirectLoopStopsAtTheLimit() {
        server.on("/loop1", TestServer.redirect("/loop2")).on("/loop2", TestServer.redirect("/loop1"));
        assertThat(reason("/loop1", 100)).isEqualTo(RejectReason.TOO_MANY_REDIRECTS);
        assertThat(server.hits("/loop1") + server.hits("/loop2")).isEqualTo(4); // the start + 3 redirects
    }

    @Test
    void onlyHttpAndHttpsAtEveryHop() {
        server.on("/to-file", TestServer.redirect("file:///etc/passwd"));
        assertThat(reason("/to-file", 100)).isEqualTo(RejectReason.NOT_HTTP);
        assertThatThrownBy(() -> http.get(URI.create("file:///etc/passwd"), Map.of(), 100))
                .isInstanceOf(FetchException.class).hasMessageContaining("only http and https");
        assertThatThrownBy(() -> http.get(URI.create("ftp://127.0.0.1/x.jpg"), Map.of(), 100))
                .hasMessageContaining("only http and https");
    }

    @Test
    void bodiesOverTheCapAreAbandonedWithOrWithoutContentLength() {
        server.on("/declared", TestServer.bytes("image/jpeg", new byte[5000]))
                .on("/chunked", TestServer.chunked(200_000));
        assertThat(reason("/declared", 4999)).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(reason("/chunked", 50_000)).isEqualTo(RejectReason.TOO_LARGE);
        assertThat(get("/declared", 5000).body()).hasSize(5000);
    }

    @Test
    @Timeout(60) // a guard against a hang, not a measurement: the stalled body never completes
    void aStalledBodyTimesOutAndIsRetriedWithBackoff() {
        server.on("/slow", TestServer.stalled(new byte[1000]));
        assertThat(reason("/slow", 10_000)).isEqualTo(RejectReason.TIMEOUT);
        assertThat(server.hits("/slow")).isEqualTo(3);
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void serverErrorsAreRetriedAndRetryAfterIsHonoured() {
        server.on("/busy", TestServer.sequence(TestServer.status(503, "Retry-After", "2"),
                TestServer.status(500), TestServer.bytes("text/plain", BODY)));
        assertThat(get("/busy", 100).text()).isEqualTo("hello");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void tooLongARetryAfterAndClientErrorsFailAtOnce() {
        server.on("/later", TestServer.status(429, "Retry-After", "3600")).on("/gone", TestServer.status(404));
        assertThat(reason("/later", 100)).isEqualTo(RejectReason.SERVER_ERROR);
        assertThat(reason("/gone", 100)).isEqualTo(RejectReason.HTTP_ERROR);
        assertThat(server.hits("/later")).isEqualTo(1);
        assertThat(server.hits("/gone")).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void retryAfterAsAnHttpDate() {
        HttpHeaders h = HttpHeaders.of(Map.of("Retry-After", List.of("Fri, 02 Jan 2026 03:04:35 GMT")), (a, b) -> true);
        assertThat(http.retryAfter(h)).contains(Duration.ofSeconds(30));
        HttpHeaders bad = HttpHeaders.of(Map.of("Retry-After", List.of("soon")), (a, b) -> true);
        assertThat(http.retryAfter(bad)).isEmpty();
    }

    @Test
    @Timeout(60) // a guard against a hang, not a measurement
    void atMostPerHostRequestsAtOnce() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        HttpFetcher polite = fetcher(DownloadOptions.builder().perHost(1).build());
        URI count = URI.create(server.url("/count"));
        server.on("/count", (ex, hit) -> {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            // hold this request until the later ones all wait for the host's one slot, or one of them got here too
            while (polite.waitingFor(count) < 3 - hit && now.get() == 1) {
                Thread.yield();
            }
            now.decrementAndGet();
            TestServer.bytes("text/plain", BODY).handle(ex, hit);
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpFetcher.Response>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                all.add(pool.submit(() -> polite.get(count, Map.of(), 100)));
            }
            for (Future<HttpFetcher.Response> f : all) {
                assertThat(f.get().text()).isEqualTo("hello");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.hits("/count")).isEqualTo(4);
        assertThat(most.get()).isEqualTo(1);
    }

    @Test
    void refusesLoopbackAddressesHoweverWrittenWithoutConnectingUnlessAllowed() {
        server.on("/a", TestServer.bytes("text/plain", BODY));
        int port = URI.create(server.base()).getPort();
        HttpFetcher strict = new HttpFetcher(DownloadOptions.builder().build(), time, time);
        for (String url : List.of(server.url("/a"), "http://2130706433:" + port + "/a", "http://[::1]:" + port + "/a",
                "http://[::ffff:127.0.0.1]:" + port + "/a", "http://localhost:" + port + "/a")) {
            assertThatThrownBy(() -> strict.get(URI.create(url), Map.of(), 100)).as(url)
                    .isInstanceOfSatisfying(FetchException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.PRIVATE_ADDRESS))
                    .hasMessageStartingWith(url + ": ").hasMessageContaining("loopback address")
                    .hasMessageContaining("--allow-private-urls");
        }
        assertThatThrownBy(() -> strict.get(URI.create("http://2130706433:" + port + "/a"), Map.of(), 100))
                .hasMessageContaining("2130706433 is 127.0.0.1, a loopback address");
        assertThat(server.hits("/a")).isZero(); // refused before connecting
        assertThat(time.sleeps()).isEmpty(); // and not retried
        assertThat(get("/a", 100).text()).isEqualTo("hello"); // allowPrivateAddresses(true), as every other test here
    }

    @Test
    void everyRedirectHopIsCheckedBeforeItIsFetched() {
        // everything in a test is on loopback: this rule stands for "127.0.0.1 is public, the rest is not"
        HttpFetcher http = new HttpFetcher(DownloadOptions.builder().build(), time, time,
                a -> a.getHostAddress().equals("127.0.0.1") ? Optional.empty() : Optional.of("inside"));
        int port = URI.create(server.base()).getPort();
        server.on("/a", TestServer.redirect("/b")).on("/b", TestServer.redirect("http://127.0.0.2:" + port + "/c"));
        assertThatThrownBy(() -> http.get(URI.create(server.url("/a")), Map.of(), 100))
                .isInstanceOfSatisfying(FetchException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.PRIVATE_ADDRESS))
                .hasMessageStartingWith(server.url("/a") + " redirects to http://127.0.0.2:" + port + "/c: 127.0.0.2 inside");
        assertThat(server.hits("/a")).isEqualTo(1);
        assertThat(server.hits("/b")).isEqualTo(1);
    }
}
