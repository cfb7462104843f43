package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.data.TaskKind;
import dev.kodiak.vision.predict.Predictor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner's JSON API on CSV-labelled data: relabel, delete and undo change the CSV; an outside CSV is read-only. */
class CleanCsvServerTest {
    @TempDir
    Path tmp;

    private static Http.Response post(Http http, String path, String json) {
        return http.post(path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void regressionItemsShowTheNumbersWorstFirstAndRelabelWritesThemIntoTheCsv() throws Exception {
        Path data = tmp.resolve("sizes");
        Path model = TestModel.csvModel(data, TaskKind.REGRESSION);
        String original = Files.readString(data.resolve("labels.csv"));
        try (CleanServer server = CleanServer.start(data, Predictor.load(model), 0)) {
            Http http = new Http(server.url());
            JsonNode d = http.get("/api/dataset").json();
            assertThat(d.get("task").asText()).isEqualTo("regression");
            assertThat(d.get("source").asText()).isEqualTo("csv");
            assertThat(d.get("csv").asText()).isEqualTo("labels.csv");
            assertThat(d.get("editable").asBoolean()).isTrue();
            assertThat(d.get("labels").toString()).isEqualTo("[\"(all)\"]");
            assertThat(d.get("targets").toString()).isEqualTo("[\"w\",\"h\"]");
            assertThat(d.get("splits").toString()).isEqualTo("[\"train\",\"valid\"]");

            JsonNode items = http.get("/api/items?label=(all)&split=valid").json().get("items");
            assertThat(items).hasSize(4); // every fourth row: is_valid = yes
            double previous = Double.POSITIVE_INFINITY;
            for (JsonNode i : items) {
                double dw = i.get("predicted_values").get("w").asDouble() - i.get("values").get("w").asDouble();
                double dh = i.get("predicted_values").get("h").asDouble() - i.get("values").get("h").asDouble();
                assertThat(i.get("loss").asDouble()).isCloseTo((dw * dw + dh * dh) / 2, within(1e-6));
                assertThat(i.get("loss").asDouble()).isLessThanOrEqualTo(previous);
                previous = i.get("loss").asDouble();
            }
            assertThat(items.get(0).get("path").asText()).matches("img/\\d\\d\\.png");

            Http.Response bad = post(http, "/api/relabel", "{\"path\":\"img/03.png\",\"values\":{\"w\":\"big\",\"h\":1}}");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().get("error").asText()).isEqualTo("the target 'w' needs a number, not \"big\"");
            Http.Response ok = post(http, "/api/relabel", "{\"path\":\"img/03.png\",\"values\":{\"w\":12.5,\"h\":0}}");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().get("message").asText()).isEqualTo("relabelled img/03.png in labels.csv: 3.5, 0 → 12.5, 0");
            assertThat(Files.readString(data.resolve("labels.csv")))
                    .isEqualTo(original.replace("img/03.png,3.5,0,yes", "img/03.png,12.5,0,yes"));
            JsonNode after = http.get("/api/items?label=(all)&split=valid").json().get("items");
            JsonNode changed = null;
            for (JsonNode i : after) {
                if (i.get("path").asText().equals("img/03.png")) {
                    changed = i;
                }
            }
            assertThat(changed.get("values").get("w").asDouble()).isEqualTo(12.5);

            assertThat(post(http, "/api/undo", "{}").status()).isEqualTo(200);
            assertThat(Files.readString(data.resolve("labels.csv"))).isEqualTo(original);
            assertThat(data.resolve("labels.csv.kodiak-backup")).hasContent(original);
        }
    }

    @Test
    void multiLabelRelabelSetsTheLabelSetDeleteTakesOutTheRowAndUndoRestoresBoth() throws Exception {
        Path data = tmp.resolve("tags");
        Path model = TestModel.csvModel(data, TaskKind.MULTI_LABEL);
        String original = Files.readString(data.resolve("labels.csv"));
        try (CleanServer server = CleanServer.start(data, Predictor.load(model), 0)) {
            Http http = new Http(server.url());
            JsonNode d = http.get("/api/dataset").json();
            assertThat(d.get("task").asText()).isEqualTo("multi-label");
            assertThat(d.get("labels").toString()).isEqualTo("[\"(all)\",\"blue\",\"red\",\"warm\"]");
            assertThat(d.get("threshold").asDouble()).isEqualTo(0.5);

            JsonNode warm = http.get("/api/items?label=warm&split=train").json().get("items");
            List<String> paths = new ArrayList<>();
            warm.forEach(i -> paths.add(i.get("path").asText()));
            assertThat(paths).containsExactlyInAnyOrder("img/00.png", "img/04.png", "img/08.png", "img/12.png");
            assertThat(warm.get(0).get("labels").toString()).isEqualTo("[\"red\",\"warm\"]");
            assertThat(warm.get(0).has("predicted_labels")).isTrue();

            Http.Response r = post(http, "/api/relabel", "{\"path\":\"img/05.png\",\"labels\":[\"blue\",\"cold\"]}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("action").get("after").toString()).isEqualTo("[\"blue cold\"]");
            Http.Response single = post(http, "/api/relabel", "{\"path\":\"img/05.png\",\"label\":\"blue\"}");
            assertThat(single.status()).isEqualTo(400);
            assertThat(single.json().get("error").asText()).startsWith("the request needs 'labels'");

            Http.Response del = post(http, "/api/delete", "{\"path\":\"img/08.png\"}");
            assertThat(del.status()).isEqualTo(200);
            assertThat(data.resolve("img/08.png")).doesNotExist();
            assertThat(data.resolve(".quarantine/img/08.png")).exists();
            String now = Files.readString(data.resolve("labels.csv"));
            assertThat(now).doesNotContain("img/08.png").contains("img/05.png,blue cold,no\n");
            assertThat(http.get("/api/items?label=warm&split=train").json().get("items")).hasSize(3);

            JsonNode history = http.get("/api/history").json().get("actions");
            assertThat(history).hasSize(2);
            assertThat(history.get(1).get("record").asText()).isEqualTo("img/08.png,red warm,no\n");

            assertThat(post(http, "/api/undo", "{}").json().get("message").asText())
                    .isEqualTo("undid #2: img/08.png is back in labels.csv");
            assertThat(data.resolve("img/08.png")).exists();
            assertThat(post(http, "/api/undo", "{}").status()).isEqualTo(200);
            assertThat(Files.readString(data.resolve("labels.csv"))).isEqualTo(original);
            assertThat(post(http, "/api/undo", "{}").status()).isEqualTo(409);
        }
    }

    @Test
    void aCsvOutsideTheDataFolderIsShownReadOnlyAndEveryChangeIsRefused() throws Exception {
        Path trained = tmp.resolve("colours");
        // The same images cleaned through a model whose CSV is given by an absolute path outside the data folder.
        Path outside = tmp.resolve("elsewhere.csv");
        Path readOnlyModel = TestModel.csvModelWithCsvOutside(trained, outside, tmp.resolve("outside.kodiak"));
        try (CleanServer server = CleanServer.start(trained, Predictor.load(readOnlyModel), 0)) {
            Http http = new Http(server.url());
            JsonNode d = http.get("/api/dataset").json();
            assertThat(d.get("editable").asBoolean()).isFalse();
            assertThat(d.get("read_only").asText()).startsWith("the CSV " + outside.toRealPath() + " lies outside");
            assertThat(d.get("labels").toString()).isEqualTo("[\"blue\",\"red\"]");
            assertThat(http.get("/api/items?label=red&split=train").json().get("items")).hasSize(8);

            Http.Response r = post(http, "/api/relabel", "{\"path\":\"img/00.png\",\"label\":\"blue\"}");
            assertThat(r.status()).isEqualTo(409);
            assertThat(r.json().get("error").asText()).startsWith("refusing to change anything: the CSV ");
            assertThat(post(http, "/api/delete", "{\"path\":\"img/00.png\"}").status()).isEqualTo(409);
            assertThat(trained.resolve("img/00.png")).exists();
            assertThat(outside).hasContent(Files.readString(trained.resolve("labels.csv")));
        }
    }
}
