package dev.kodiak.gather;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.io.Quarantine;
import dev.kodiak.io.QuarantineEntry;
import dev.kodiak.io.VerifyReport;
import dev.kodiak.vision.ImageFiles;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole gather against a local server that plays Openverse and a dozen badly behaved image hosts. */
class GathererTest {
    static final byte[] JPG1 = Pictures.jpeg(Pictures.picture(48, 40, 1), 0.9f);
    static final byte[] PNG2 = Pictures.png(Pictures.picture(40, 40, 2));
    static final byte[] WEBP = Pictures.webp();
    static final byte[] PNG5 = Pictures.png(Pictures.picture(40, 32, 5));
    static final byte[] PNG6 = Pictures.png(Pictures.picture(32, 40, 6));
    static final byte[] NEAR2 = Pictures.jpeg(Pictures.resized(Pictures.picture(40, 40, 2), 36, 36), 0.85f);
    static final byte[] PNG8 = Pictures.png(Pictures.picture(44, 44, 8));
    static final byte[] JPG9 = Pictures.jpeg(Pictures.picture(40, 30, 9), 0.9f);
    static final byte[] TRUNCATED = Arrays.copyOf(Pictures.jpeg(Pictures.picture(48, 40, 3), 0.9f), 700);

    /** Image paths on the test server that must never be requested twice. */
    static final List<String> FINAL_PATHS = List.of("/img/good.jpg", "/img/good.png", "/img/good.webp",
            "/img/page.jpg", "/img/empty.jpg", "/img/loop.jpg", "/img/huge.jpg", "/img/copy.jpg", "/img/moved",
            "/img/pic5.png", "/img/flaky.png", "/img/near.jpg", "/img/tiny.png", "/img/missing.png",
            "/img/black1.png", "/img/black2.jpg");

    @TempDir
    Path tmp;
    Path dest;
    TestServer server;
    final Map<String, AtomicInteger> searches = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        dest = tmp.resolve("bears");
        server = TestServer.start();
        server.on("/img/good.jpg", TestServer.bytes("image/jpeg", JPG1))
                .on("/img/good.png", TestServer.bytes("image/png", PNG2))
                .on("/img/good.webp", TestServer.bytes("image/webp", WEBP))
                .on("/img/page.jpg", TestServer.bytes("text/html", "<!DOCTYPE html><html>hi</html>".getBytes()))
                .on("/img/truncated.jpg", TestServer.bytes("image/jpeg", TRUNCATED))
                .on("/img/empty.jpg", TestServer.bytes("image/jpeg", new byte[0]))
                .on("/img/loop.jpg", TestServer.redirect("/img/loop.jpg"))
                .on("/img/slow.jpg", TestServer.stalled(JPG1))
                .on("/img/huge.jpg", TestServer.bytes("image/jpeg", new byte[100_000]))
                .on("/img/copy.jpg", TestServer.bytes("image/jpeg", JPG1))
                .on("/img/moved", TestServer.redirect("/img/pic5.png"))
                .on("/img/pic5.png", TestServer.bytes("image/png", PNG5))
                .on("/img/flaky.png", TestServer.sequence(TestServer.status(503),
                        TestServer.bytes("image/png", PNG6)))
                .on("/img/near.jpg", TestServer.bytes("image/jpeg", NEAR2))
                .on("/img/tiny.png", TestServer.bytes("image/png", Pictures.png(Pictures.picture(16, 16, 7))))
                .on("/img/black1.png", TestServer.bytes("image/png", PNG8))
                .on("/img/black2.jpg", TestServer.bytes("image/jpeg", JPG9))
                .on("/v1/images/", this::openverse);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Openverse: grizzly has two pages (a 429 before the first, a 500 before the second), black one page. */
    private void openverse(com.sun.net.httpserver.HttpExchange ex, int hit) throws IOException {
        Map<String, String> q = Arrays.stream(ex.getRequestURI().getRawQuery().split("&")).map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
        int page = Integer.parseInt(q.get("page"));
        int n = searches.computeIfAbsent(q.get("q") + page, k -> new AtomicInteger()).getAndIncrement();
        List<Map<String, Object>> results = new ArrayList<>();
        int pages = 1;
        if (q.get("q").equals("grizzly bear")) {
            pages = 2;
            if (n == 0) {
                TestServer.status(page == 1 ? 429 : 500, "Retry-After", page == 1 ? "2" : "").handle(ex, hit);
                return;
            }
            List<String> paths = page == 1
                    ? List.of("/img/good.jpg", "/img/good.png", "/img/good.webp", "/img/page.jpg", "/img/truncated.jpg",
                    "/img/empty.jpg", "/img/loop.jpg", "/img/slow.jpg", "/img/huge.jpg")
                    : List.of("/img/copy.jpg", "FILE", "/img/moved", "/img/flaky.png", "/img/near.jpg",
                    "/img/tiny.png", "/img/never.png", "/img/missing.png");
            for (String p : paths) {
                results.add(result(p.equals("FILE") ? "file:///etc/passwd" : server.url(p), p.equals("/img/never.png")));
            }
        } else if (q.get("q").equals("black bear")) {
            for (String p : List.of("/img/black1.png", "/img/good.jpg", "/img/black2.jpg")) {
                results.add(result(server.url(p), false));
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result_count", results.size());
        body.put("page_count", pages);
        body.put("results", results);
        TestServer.json(new ObjectMapper().writeValueAsString(body)).handle(ex, hit);
    }

    private static Map<String, Object> result(String url, boolean tiny) {
        Map<String, Object> r = new LinkedHashMap<>();
        String name = url.substring(url.lastIndexOf('/') + 1);
        r.put("id", name);
        r.put("url", url);
        r.put("foreign_landing_url", "https://photos.example/" + name);
        r.put("title", "Title, " + name);
        r.put("creator", "Creator of " + name);
        r.put("license", "by");
        r.put("license_version", "4.0");
        if (tiny) {
            r.put("width", 10);
            r.put("height", 10);
        }
        return r;
    }

    /** The test server is on 127.0.0.1. */
    private static final DownloadOptions LOOPBACK = DownloadOptions.builder().allowPrivateAddresses(true).build();

    private GatherOptions options(Dedupe dedupe) {
        return GatherOptions.builder(dest, List.of("grizzly", "black")).query("{label} bear").max(30).minSize(20)
                .dedupe(dedupe).download(DownloadOptions.builder().parallelism(4).perHost(2)
                        // long enough for a real response on a loaded CI machine (400 ms was not): only the
                        // stalled image waits it out
                        .readTimeout(Duration.ofMillis(1500)).retries(1).maxBytes(60_000).maxRedirects(3)
                        .allowPrivateAddresses(true).build()) // the test server is on 127.0.0.1
                .build();
    }

    private GatherReport gather(Dedupe dedupe, FakeTime searchTime, FakeTime downloadTime) {
        Openverse ov = Openverse.builder().apiBase(server.base()).time(searchTime, searchTime).build();
        return Gatherer.of(options(dedupe), ov, downloadTime, downloadTime).run();
    }

    static String name(byte[] bytes, String ext) {
        return Downloader.sha256(bytes).substring(0, 16) + "." + ext;
    }

    private List<String> files(String label) {
        return ImageFiles.find(dest.resolve(label)).stream().map(p -> p.getFileName().toString()).sorted().toList();
    }

    private static List<String> sorted(String... names) {
        return Arrays.stream(names).sorted().toList();
    }

    @Test
    void gathersKeepsOnlyRealImagesRecordsSourcesAndAReRunDownloadsNothingNew() throws IOException {
        FakeTime searchTime = new FakeTime();
        FakeTime downloadTime = new FakeTime();
        GatherReport report = gather(Dedupe.NEAR, searchTime, downloadTime);

        GatherReport.Label grizzly = report.labels().get(0);
        assertThat(grizzly.label()).isEqualTo("grizzly");
        assertThat(grizzly.query()).isEqualTo("grizzly bear");
        assertThat(grizzly.found()).isEqualTo(17);
        assertThat(grizzly.downloaded()).isEqualTo(5);
        assertThat(grizzly.duplicates()).isEqualTo(2);
        assertThat(grizzly.skipped()).isZero();
        assertThat(grizzly.rejected()).containsExactlyInAnyOrderEntriesOf(Map.of(
                RejectReason.NOT_AN_IMAGE, 1, RejectReason.TRUNCATED, 1, RejectReason.ZERO_BYTES, 1,
                RejectReason.TOO_MANY_REDIRECTS, 1, RejectReason.TIMEOUT, 1, RejectReason.TOO_LARGE, 1,
                RejectReason.NOT_HTTP, 1, RejectReason.TOO_SMALL, 2, RejectReason.HTTP_ERROR, 1));
        assertThat(grizzly.total()).isEqualTo(5);
        GatherReport.Label black = report.labels().get(1);
        assertThat(List.of(black.found(), black.downloaded(), black.duplicates(), black.rejectedCount(), black.total()))
                .containsExactly(3, 2, 1, 0, 2);

        assertThat(files("grizzly")).isEqualTo(sorted(name(JPG1, "jpg"), name(PNG2, "png"), name(WEBP, "webp"),
                name(PNG5, "png"), name(PNG6, "png")));
        assertThat(files("black")).isEqualTo(sorted(name(PNG8, "png"), name(JPG9, "jpg")));
        assertThat(Files.readAllBytes(dest.resolve("grizzly").resolve(name(WEBP, "webp")))).isEqualTo(WEBP);

        // Provenance: one row per kept file, in search order, with CSV quoting of the titles' commas.
        List<String> sources = Files.readAllLines(dest.resolve("sources.csv"));
        assertThat(sources.get(0)).isEqualTo("file,label,url,page_url,licence,creator,title,sha256,downloaded_at");
        List<String> rows = sources.subList(1, sources.size()).stream()
                .map(l -> l.substring(0, l.lastIndexOf(','))).toList();
        assertThat(rows).containsExactly(
                row("grizzly", JPG1, "jpg", "/img/good.jpg"), row("grizzly", PNG2, "png", "/img/good.png"),
                row("grizzly", WEBP, "webp", "/img/good.webp"), row("grizzly", PNG5, "png", "/img/moved"),
                row("grizzly", PNG6, "png", "/img/flaky.png"), row("black", PNG8, "png", "/img/black1.png"),
                row("black", JPG9, "jpg", "/img/black2.jpg"));

        // Politeness: Retry-After: 2 and the 500's back-off were waited (on the fake clock); a known-small image
        // and the file: URL were never requested; the timeout and the 503 were retried once.
        assertThat(searchTime.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(1));
        assertThat(downloadTime.sleeps()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(server.hits("/img/never.png")).isZero();
        assertThat(server.hits("/img/slow.jpg")).isEqualTo(2);
        assertThat(server.hits("/img/flaky.png")).isEqualTo(2);
        assertThat(server.hits("/img/loop.jpg")).isEqualTo(4);
        assertThat(dest.resolve(".gather/partial")).doesNotExist();
        assertThat(dest.resolve(".quarantine")).doesNotExist();
        VerifyReport verified = DatasetVerifier.standard().verify(dest, false);
        assertThat(verified.checked()).isEqualTo(7);
        assertThat(verified.failures()).isEmpty();

        // Again: nothing new is downloaded; only the passing failures (truncated, timeout) are tried again.
        Map<String, Integer> before = new LinkedHashMap<>();
        FINAL_PATHS.forEach(p -> before.put(p, server.hits(p)));
        String sourcesBefore = Files.readString(dest.resolve("sources.csv"));
        GatherReport again = gather(Dedupe.NEAR, new FakeTime(), new FakeTime());
        GatherReport.Label g2 = again.labels().get(0);
        assertThat(List.of(g2.found(), g2.skipped(), g2.downloaded(), g2.duplicates(), g2.total()))
                .containsExactly(17, 15, 0, 0, 5);
        assertThat(g2.rejected()).containsExactlyInAnyOrderEntriesOf(Map.of(RejectReason.TRUNCATED, 1,
                RejectReason.TIMEOUT, 1));
        GatherReport.Label b2 = again.labels().get(1);
        assertThat(List.of(b2.found(), b2.skipped(), b2.downloaded(), b2.duplicates())).containsExactly(3, 3, 0, 0);
        FINAL_PATHS.forEach(p -> assertThat(server.hits(p)).as(p).isEqualTo(before.get(p)));
        assertThat(server.hits("/img/truncated.jpg")).isEqualTo(2);
        assertThat(Files.readString(dest.resolve("sources.csv"))).isEqualTo(sourcesBefore);
        assertThat(files("grizzly")).hasSize(5);
    }

    private String row(String label, byte[] bytes, String ext, String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return label + "/" + name(bytes, ext) + "," + label + "," + server.url(path) + ",https://photos.example/"
                + name + ",by 4.0,Creator of " + name + ",\"Title, " + name + "\"," + Downloader.sha256(bytes);
    }

    @Test
    void nearDuplicatesAlreadyOnDiskGoToQuarantineWhenNearDedupeIsTurnedOn() throws IOException {
        Path list = Files.writeString(tmp.resolve("urls.csv"), "url,label,licence\n"
                + server.url("/img/good.png") + ",grizzly,cc0\n" + server.url("/img/near.jpg") + ",grizzly,cc0\n"
                + server.url("/img/black1.png") + ",black,by\n");
        GatherOptions exact = GatherOptions.builder(dest, List.of("grizzly", "black")).download(LOOPBACK).build();
        FakeTime time = new FakeTime();
        GatherReport first = Gatherer.of(exact, UrlList.of(list.toString()), time, time).run();
        assertThat(first.labels()).extracting(GatherReport.Label::downloaded).containsExactly(2, 1);
        assertThat(files("grizzly")).hasSize(2);

        GatherOptions near = GatherOptions.builder(dest, List.of("grizzly", "black")).dedupe(Dedupe.NEAR).download(LOOPBACK).build();
        GatherReport second = Gatherer.of(near, UrlList.of(list.toString()), time, time).run();
        assertThat(second.labels()).extracting(GatherReport.Label::duplicates).containsExactly(1, 0);
        assertThat(second.labels()).extracting(GatherReport.Label::skipped).containsExactly(2, 1);

        List<String> both = sorted(name(PNG2, "png"), name(NEAR2, "jpg"));
        assertThat(files("grizzly")).containsExactly(both.get(0));
        List<QuarantineEntry> q = Quarantine.of(dest).entries();
        assertThat(q).hasSize(1);
        assertThat(q.get(0).originalPath().getFileName().toString()).isEqualTo(both.get(1));
        assertThat(q.get(0).reason()).isEqualTo("near-duplicate of grizzly/" + both.get(0));
        assertThat(q.get(0).by()).isEqualTo("gather");
        assertThat(q.get(0).file()).exists();
    }

    @Test
    void sourcesCsvNeutralizesSpreadsheetFormulasFromOutsideTextAndStillResumes() throws IOException {
        Path list = Files.writeString(tmp.resolve("urls.csv"), "url,label,licence,creator,title,page_url\n"
                + server.url("/img/good.png") + ",grizzly,=1+1,@SUM(A1),\"-2+3,cmd|' /C calc'!A0\",+page\n");
        GatherOptions options = GatherOptions.builder(dest, List.of("grizzly")).download(LOOPBACK).build();
        FakeTime time = new FakeTime();
        assertThat(Gatherer.of(options, UrlList.of(list.toString()), time, time).run().labels())
                .extracting(GatherReport.Label::downloaded).containsExactly(1);

        List<String> sources = Files.readAllLines(dest.resolve("sources.csv"));
        assertThat(sources).hasSize(2);
        assertThat(sources.get(1)).startsWith("grizzly/" + name(PNG2, "png") + ",grizzly," + server.url("/img/good.png")
                + ",'+page,'=1+1,'@SUM(A1),\"'-2+3,cmd|' /C calc'!A0\"," + Downloader.sha256(PNG2) + ",");

        // the file column is read back to resume: a second run records and downloads nothing new
        String before = Files.readString(dest.resolve("sources.csv"));
        GatherReport again = Gatherer.of(options, UrlList.of(list.toString()), time, time).run();
        assertThat(again.labels()).extracting(GatherReport.Label::skipped).containsExactly(1);
        assertThat(Files.readString(dest.resolve("sources.csv"))).isEqualTo(before);
    }

    @Test
    void aLabelThatAlreadyHasMaxImagesIsNotSearchedAgain() throws IOException {
        Files.createDirectories(dest.resolve("teddy"));
        Files.write(dest.resolve("teddy/a.png"), PNG5);
        Files.write(dest.resolve("teddy/b.png"), PNG6);
        AtomicInteger calls = new AtomicInteger();
        SearchProvider counting = new SearchProvider() {
            @Override
            public List<SearchResult> search(String label, String query, int max) {
                calls.incrementAndGet();
                return List.of(SearchResult.of(server.url("/img/good.png")));
            }

            @Override
            public String name() {
                return "counting";
            }
        };
        GatherOptions two = GatherOptions.builder(dest, List.of("teddy")).max(2).download(LOOPBACK).build();
        GatherReport r = Gatherer.of(two, counting).run();
        assertThat(calls.get()).isZero();
        assertThat(r.labels().get(0).total()).isEqualTo(2);
        GatherOptions three = GatherOptions.builder(dest, List.of("teddy")).max(3).download(LOOPBACK).build();
        GatherReport r3 = Gatherer.of(three, counting).run();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(r3.labels().get(0).downloaded()).isEqualTo(1);
        // an image already in the folder under another name is an exact duplicate
        GatherReport again = Gatherer.of(GatherOptions.builder(dest, List.of("teddy")).max(5).download(LOOPBACK).build(),
                new SearchProvider() {
                    @Override
                    public List<SearchResult> search(String label, String query, int max) {
                        return List.of(SearchResult.of(server.url("/img/pic5.png")));
                    }

                    @Override
                    public String name() {
                        return "one";
                    }
                }).run();
        assertThat(again.labels().get(0).duplicates()).isEqualTo(1);
        assertThat(files("teddy")).hasSize(3);
    }
}
