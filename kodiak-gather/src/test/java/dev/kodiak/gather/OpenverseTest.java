package dev.kodiak.gather;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenverseTest {
    TestServer server;
    FakeTime time = new FakeTime();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** An Openverse answer with results {@code from..to} (exclusive) of {@code count}. */
    static String page(int from, int to, int count, int pageCount) {
        List<String> results = new ArrayList<>();
        for (int i = from; i < to; i++) {
            results.add("{\"id\":\"id" + i + "\",\"url\":\"https://img.example/" + i + ".jpg\","
                    + "\"foreign_landing_url\":\"https://photos.example/p/" + i + "\",\"title\":\"Bear " + i + "\","
                    + "\"creator\":\"Ann \\\"Bear\\\" Lee\",\"license\":\"by-sa\",\"license_version\":\"4.0\","
                    + "\"width\":" + (100 + i) + ",\"height\":" + (80 + i) + ",\"filetype\":\"jpg\"}");
        }
        return "{\"result_count\":" + count + ",\"page_count\":" + pageCount + ",\"page_size\":20,\"page\":1,"
                + "\"results\":[" + String.join(",", results) + "]}";
    }

    private Openverse.Builder openverse() {
        return Openverse.builder().apiBase(server.base() + "/").time(time, time);
    }

    @Test
    void pagesThroughResultsWithinTheAnonymousLimitsAndWaitsOutA429AndA500() {
        server.on("/v1/images/", TestServer.sequence(TestServer.status(429, "Retry-After", "2"),
                TestServer.json(page(0, 20, 25, 2)), TestServer.status(500), TestServer.json(page(20, 25, 25, 2)),
                TestServer.json(page(0, 2, 2, 1)), TestServer.json(page(0, 1, 1, 1))));
        Openverse ov = openverse().licences(List.of("cc0", "BY", "cc0")).build();

        List<SearchResult> results = ov.search("grizzly", "grizzly bear", 30);
        assertThat(results).hasSize(25);
        assertThat(results.get(0)).isEqualTo(new SearchResult("https://img.example/0.jpg",
                "https://photos.example/p/0", "Bear 0", "by-sa 4.0", "Ann \"Bear\" Lee", 100, 80));
        assertThat(results.get(24).imageUrl()).isEqualTo("https://img.example/24.jpg");
        assertThat(server.log()).containsExactly(
                "GET /v1/images/?q=grizzly+bear&page=1&page_size=20&license=cc0%2Cby",
                "GET /v1/images/?q=grizzly+bear&page=1&page_size=20&license=cc0%2Cby",
                "GET /v1/images/?q=grizzly+bear&page=2&page_size=20&license=cc0%2Cby",
                "GET /v1/images/?q=grizzly+bear&page=2&page_size=20&license=cc0%2Cby");
        // Retry-After: 2 asked for 2 s; the 500 was retried after the 1 s back-off; no request waited for the pace.
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));

        // The next search: one page of two, and a third search one fake second later must wait for the pace.
        assertThat(ov.search("black", "black bear", 2)).hasSize(2);
        assertThat(ov.search("teddy", "teddy bear", 1)).hasSize(1);
        assertThat(server.log().get(5)).isEqualTo("GET /v1/images/?q=teddy+bear&page=1&page_size=1&license=cc0%2Cby");
        assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(server.lastHeaders("/v1/images/").getFirst("User-Agent")).startsWith("Kodiak/");
    }

    @Test
    void stopsAtTheLastPageAndSkipsRepeatsAndResultsWithoutUrl() {
        String body = "{\"result_count\":3,\"page_count\":1,\"results\":[{\"url\":\"https://a/1.jpg\"},"
                + "{\"url\":\"\"},{\"title\":\"no url\"},{\"url\":\"https://a/1.jpg\"},{\"url\":\"https://a/2.png\","
                + "\"license\":\"cc0\",\"license_version\":\"1.0\"}]}";
        server.on("/v1/images/", TestServer.json(body));
        List<SearchResult> results = openverse().build().search("x", "x", 150);
        assertThat(results).extracting(SearchResult::imageUrl).containsExactly("https://a/1.jpg", "https://a/2.png");
        assertThat(results.get(0).width()).isZero();
        assertThat(results.get(1).licence()).isEqualTo("cc0 1.0");
        assertThat(server.hits("/v1/images/")).isEqualTo(1);
    }

    @Test
    void clientCredentialsGetATokenOnceAndABiggerPage() {
        server.on("/v1/auth_tokens/token/", TestServer.json("{\"access_token\":\"tok123\",\"expires_in\":36000}"))
                .on("/v1/images/", (ex, hit) -> {
                    String auth = ex.getRequestHeaders().getFirst("Authorization");
                    (("Bearer tok123".equals(auth)) ? TestServer.json(page(hit * 50, hit * 50 + 50, 100, 2))
                            : TestServer.status(401)).handle(ex, hit);
                });
        Openverse ov = openverse().credentialsFrom(Map.of("KODIAK_OPENVERSE_CLIENT_ID", "me",
                "KODIAK_OPENVERSE_CLIENT_SECRET", "s3cret")).build();
        assertThat(ov.authenticated()).isTrue();
        assertThat(ov.search("a", "a", 100)).hasSize(100);
        assertThat(server.log()).containsExactly("POST /v1/auth_tokens/token/",
                "GET /v1/images/?q=a&page=1&page_size=50", "GET /v1/images/?q=a&page=2&page_size=50");
        assertThat(time.sleeps()).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void clearErrors() {
        server.on("/v1/images/", TestServer.status(401));
        assertThatThrownBy(() -> openverse().build().search("a", "a", 5)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("KODIAK_OPENVERSE_CLIENT_ID");
        server.on("/v1/images/", TestServer.bytes("text/html", "<html>proxy error</html>".getBytes()));
        assertThatThrownBy(() -> openverse().build().search("a", "a", 5))
                .hasMessageContaining("invalid JSON").hasMessageContaining("--api-base");
        assertThatThrownBy(() -> Openverse.builder().licences(List.of("by", "gpl")))
                .hasMessageContaining("unknown licence gpl");
        assertThatThrownBy(() -> Openverse.builder().apiBase("file:///tmp")).hasMessageContaining("only http");
        assertThatThrownBy(() -> Openverse.builder().credentials("id", null)).hasMessageContaining("both");
    }
}
