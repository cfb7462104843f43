package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.predict.Predictor;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner's JSON API over HTTP on 127.0.0.1. */
class CleanServerTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;
    static CleanServer server;
    static Http http;

    @BeforeAll
    static void start() {
        data = tmp.resolve("colours");
        model = TestModel.copyWithModel(data, tmp.resolve("colours.kodiak"));
        server = CleanServer.start(data, Predictor.load(model), 0);
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theDatasetKnowsItsSplitFromTheModel() {
        JsonNode d = http.get("/api/dataset").json();
        assertThat(d.get("labels").toString()).isEqualTo("[\"blue\",\"red\"]");
        assertThat(d.get("splits").toString()).isEqualTo("[\"train\",\"valid\"]");
        assertThat(d.get("split_known").asBoolean()).isTrue();
        assertThat(d.get("model").asText()).isEqualTo("colours");
        assertThat(d.has("note")).isFalse();
    }

    @Test
    void itemsAreTheLabelsValidationImagesWorstFirst() {
        List<String> validRed = ModelFile.read(model).manifest().trainingData().validFiles().stream()
                .filter(f -> f.startsWith("red/")).sorted().toList();
        JsonNode items = http.get("/api/items?label=red&split=valid").json().get("items");
        List<String> paths = new ArrayList<>();
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode i : items) {
            paths.add(i.get("path").asText());
            double loss = i.get("loss").asDouble();
            assertThat(loss).isLessThanOrEqualTo(previous);
            previous = loss;
            double pRed = i.get("predicted").asText().equals("red") ? i.get("probability").asDouble()
                    : 1 - i.get("probability").asDouble();
            assertThat(loss).isCloseTo(-Math.log(pRed), org.assertj.core.api.Assertions.within(1e-6));
            assertThat(i.get("split").asText()).isEqualTo("valid");
        }
        assertThat(paths).containsExactlyInAnyOrderElementsOf(validRed);
        JsonNode train = http.get("/api/items?label=red&split=train").json().get("items");
        assertThat(train.size() + items.size()).isEqualTo(12);
    }

    @Test
    void badQueriesAnswer400And404() {
        assertThat(http.get("/api/items?label=green&split=train").status()).isEqualTo(400);
        assertThat(http.get("/api/items?label=red&split=test").status()).isEqualTo(400);
        assertThat(http.get("/api/nothing").status()).isEqualTo(404);
    }

    @Test
    void imagesAreServedOnlyFromInsideTheDataFolder() throws Exception {
        Http.Response ok = http.get("/api/image?path=blue/blue_00.png");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Content-Type")).isEqualTo("image/png");
        assertThat(ok.body()).isEqualTo(Files.readAllBytes(data.resolve("blue/blue_00.png")));
        Files.writeString(tmp.resolve("secret.png"), "secret");
        // links to a folder or a file outside (removed afterwards: the data folder is shared by the class's tests)
        Path linked = Files.createSymbolicLink(data.resolve("linked"), tmp);
        Path link = Files.createSymbolicLink(data.resolve("blue/link.png"), tmp.resolve("secret.png"));
        try {
            for (String bad : List.of("../secret.png", "..%2Fsecret.png", "%2e%2e/secret.png",
                    "blue/..%2F..%2Fsecret.png", tmp.resolve("secret.png").toString(), "colours.kodiak",
                    ".kodiak-clean.log", "linked/secret.png", "blue/link.png")) {
                Http.Response r = http.get("/api/image?path=" + bad);
                assertThat(r.status()).as(bad).isIn(400, 404);
                assertThat(r.text()).as(bad).doesNotContain("secret\"").isNotEqualTo("secret");
            }
        } finally {
            Files.delete(linked);
            Files.delete(link);
        }
    }

    @Test
    void changesMustComeAsJsonFromThisMachine() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String body = "{\"path\":\"blue/blue_01.png\"}";
        HttpRequest plain = HttpRequest.newBuilder(server.url().resolve("/api/delete")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        assertThat(client.send(plain, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        HttpRequest foreign = HttpRequest.newBuilder(server.url().resolve("/api/delete"))
                .header("Content-Type", "application/json").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = client.send(foreign, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("another site");
        // Java's client will not set Host itself: a DNS-rebound page's request, by hand
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET /api/items?label=red&split=train HTTP/1.1\r\nHost: attacker.example:"
                    + server.port() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 403 ").contains("addressed to this machine");
        }
        assertThat(data.resolve("blue/blue_01.png")).exists();
        Http.Response missing = http.post("/api/relabel", "application/json", "{\"path\":\"blue/blue_01.png\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).isEqualTo("the request needs the text field 'label'");
        Http.Response traversal = http.post("/api/delete", "application/json",
                "{\"path\":\"../colours.kodiak\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(traversal.status()).isEqualTo(400);
        assertThat(model).exists();
    }

    @Test
    void relabelThenUndoOverHttpAndTheMovedFileIsPredictedAgain() {
        Http.Response moved = http.post("/api/relabel", "application/json",
                "{\"path\":\"blue/blue_02.png\",\"label\":\"red\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.json().get("message").asText()).isEqualTo("moved blue/blue_02.png to red/blue_02.png");
        assertThat(data.resolve("red/blue_02.png")).exists();
        String split = server.session().split("blue/blue_02.png");
        JsonNode items = http.get("/api/items?label=red&split=" + split).json().get("items");
        assertThat(items.findValuesAsText("path")).contains("red/blue_02.png");
        Http.Response undo = http.post("/api/undo", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(undo.status()).as(undo.text()).isEqualTo(200);
        assertThat(data.resolve("blue/blue_02.png")).exists();
        assertThat(data.resolve("red/blue_02.png")).doesNotExist();
        JsonNode history = http.get("/api/history").json().get("actions");
        assertThat(history.get(history.size() - 1).get("action").asText()).isEqualTo("undo");
    }

    @Test
    void anotherFolderHasNoKnownSplit() throws Exception {
        Path other = tmp.resolve("other");
        Files.createDirectories(other.resolve("red"));
        Files.copy(data.resolve("red/red_00.png"), other.resolve("red/red_00.png"));
        try (Predictor p = Predictor.load(model)) {
            CleanSession s = new CleanSession(CleanActions.of(other), p);
            assertThat(s.splitKnown()).isFalse();
            assertThat(s.splits()).containsExactly("train");
            assertThat(s.items("red", "train")).singleElement().satisfies(i -> assertThat(i.path()).isEqualTo("red/red_00.png"));
        }
    }
}
