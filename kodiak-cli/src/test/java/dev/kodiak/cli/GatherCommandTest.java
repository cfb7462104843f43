package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.awt.Color;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatherCommandTest {
    @TempDir
    Path dir;
    HttpServer server;
    final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", ex -> {
            try (ex) {
                byte[] body = files.get(ex.getRequestURI().getPath());
                if (body == null) {
                    ex.sendResponseHeaders(404, -1);
                } else {
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            }
        });
        server.start();
        files.put("/a.png", Files.readAllBytes(TestImages.png(dir.resolve("src/a.png"), 32, Color.RED, 1)));
        files.put("/b.png", Files.readAllBytes(TestImages.png(dir.resolve("src/b.png"), 32, Color.BLUE, 2)));
        files.put("/c.png", Files.readAllBytes(TestImages.png(dir.resolve("src/c.png"), 32, Color.GREEN, 3)));
        files.put("/page.jpg", "<html><body>nope</body></html>".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void openverseGatherWithJsonSummaryAndVerifyOfWhatWasThereBefore() throws IOException {
        String results = "{\"result_count\":4,\"page_count\":1,\"results\":["
                + "{\"url\":\"" + url("/a.png") + "\",\"license\":\"cc0\",\"license_version\":\"1.0\",\"creator\":\"Ann\"},"
                + "{\"url\":\"" + url("/page.jpg") + "\"},{\"url\":\"" + url("/b.png") + "\"},"
                + "{\"url\":\"" + url("/missing.png") + "\"}]}";
        files.put("/v1/images/", results.getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("bears");
        Files.createDirectories(out.resolve("grizzly"));
        Files.write(out.resolve("grizzly/old.jpg"), new byte[0]); // broken before the gather: verify moves it

        CliRun run = CliRun.of("gather", "--out", out.toString(), "--labels", "grizzly", "--query", "{label} bear",
                "--api-base", url(""), "--licence", "cc0,by", "--allow-private-urls", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        String[] lines = run.out().strip().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(lines[0]);
        assertThat(json.get("provider").asText()).isEqualTo("openverse");
        JsonNode g = json.get("labels").get(0);
        assertThat(g.get("label").asText()).isEqualTo("grizzly");
        assertThat(g.get("query").asText()).isEqualTo("grizzly bear");
        assertThat(g.get("found").asInt()).isEqualTo(4);
        assertThat(g.get("downloaded").asInt()).isEqualTo(2);
        assertThat(g.get("duplicates").asInt()).isZero();
        assertThat(g.get("rejected").toString()).isEqualTo("{\"http_error\":1,\"not_an_image\":1}");
        assertThat(g.get("total").asInt()).isEqualTo(3); // counted before verify moved old.jpg
        JsonNode verify = json.get("verify");
        assertThat(verify.get("checked").asInt()).isEqualTo(3);
        assertThat(verify.get("ok").asInt()).isEqualTo(2);
        assertThat(verify.get("failed").get(0).get("reason").asText()).isEqualTo("zero_bytes");
        assertThat(verify.get("failed").get(0).get("quarantined_to").asText()).endsWith(".quarantine/grizzly/old.jpg");
        assertThat(run.err()).contains("grizzly: searching for \"grizzly bear\"")
                .contains("grizzly: 4 found, 2 downloaded, 0 duplicates, 2 rejected");
        assertThat(Files.readString(out.resolve("sources.csv"))).contains(url("/a.png") + ",,cc0 1.0,Ann,");

        // The same command again downloads nothing.
        CliRun again = CliRun.of("gather", "--out", out.toString(), "--labels", "grizzly", "--query", "{label} bear",
                "--api-base", url(""), "--allow-private-urls", "--json");
        JsonNode g2 = new ObjectMapper().readTree(again.out().strip()).get("labels").get(0);
        assertThat(g2.get("downloaded").asInt()).isZero();
        assertThat(g2.get("skipped").asInt()).isEqualTo(4);
    }

    @Test
    void urlListProviderWithOneFilePerLabel() throws IOException {
        Files.writeString(dir.resolve("red.txt"), url("/a.png") + "\n" + url("/c.png") + "\n");
        Files.writeString(dir.resolve("blue.txt"), url("/b.png") + "\n" + url("/a.png") + "\n");
        Path out = dir.resolve("colours");
        CliRun run = CliRun.of("gather", "--out", out.toString(), "--labels", "red,blue", "--provider", "urls",
                "--urls", dir.resolve("{label}.txt").toString(), "--allow-private-urls");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("red: 2 found, 2 downloaded").contains("blue: 2 found, 1 downloaded, 1 duplicates")
                .contains("Downloaded 3 new images").contains("3 files checked, 3 ok");
        try (var red = Files.list(out.resolve("red")); var blue = Files.list(out.resolve("blue"))) {
            assertThat(red.count()).isEqualTo(2);
            assertThat(blue.count()).isEqualTo(1);
        }
    }

    @Test
    void imagesOnThisMachineAreRefusedUnlessPrivateUrlsAreAllowed() throws IOException {
        int port = server.getAddress().getPort();
        Files.writeString(dir.resolve("red.txt"), url("/a.png") + "\nhttp://2130706433:" + port + "/c.png\n");
        Path out = dir.resolve("colours");
        CliRun refused = CliRun.of("gather", "--out", out.toString(), "--labels", "red", "--provider", "urls",
                "--urls", dir.resolve("red.txt").toString(), "--json");
        assertThat(refused.exitCode()).as(refused.err()).isZero();
        JsonNode label = new ObjectMapper().readTree(refused.out().strip()).get("labels").get(0);
        assertThat(label.get("downloaded").asInt()).isZero();
        assertThat(label.get("rejected").toString()).isEqualTo("{\"private_address\":2}");
        assertThat(refused.err()).contains("red: 2 found, 0 downloaded, 0 duplicates, 2 rejected (private_address 2)");
        assertThat(Files.readString(out.resolve(".gather/attempts.csv")))
                .contains("2130706433 is 127.0.0.1, a loopback address").contains("--allow-private-urls");

        CliRun allowed = CliRun.of("gather", "--out", out.toString(), "--labels", "red", "--provider", "urls",
                "--urls", dir.resolve("red.txt").toString(), "--allow-private-urls", "--json");
        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(new ObjectMapper().readTree(allowed.out().strip()).get("labels").get(0).get("downloaded").asInt())
                .isEqualTo(2);
    }

    @Test
    void badArgumentsSayWhatToDo() {
        CliRun noUrls = CliRun.of("gather", "--out", dir.toString(), "--labels", "a", "--provider", "urls");
        assertThat(noUrls.exitCode()).isNotZero();
        assertThat(noUrls.err()).contains("--provider urls needs --urls FILE");
        CliRun licence = CliRun.of("gather", "--out", dir.toString(), "--labels", "a", "--licence", "gpl");
        assertThat(licence.exitCode()).isEqualTo(1);
        assertThat(licence.err()).contains("kodiak: unknown licence gpl");
        CliRun label = CliRun.of("gather", "--out", dir.toString(), "--labels", "../up", "--api-base", url(""));
        assertThat(label.err()).contains("cannot be a folder name");
    }
}
