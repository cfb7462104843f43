package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.vision.predict.Predictor;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kodiak clean} on a folder of sound clips with a sound model: the clips are listed (read through the
 * model's input kind, an unreadable one with its error), served with their audio media type and byte ranges (for
 * the page's player), and deleted (into {@code .quarantine/}), relabelled and undone as images are.
 */
@Tag("slow")
class CleanSoundServerTest {
    @TempDir
    static Path tmp;
    static Path data;
    static CleanServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        data = tmp.resolve("sounds");
        Path source = SoundModel.data();
        try (var files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = data.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Files.writeString(data.resolve("tone/broken.wav"), "<html>not sound</html>", StandardCharsets.UTF_8);
        server = CleanServer.start(data, Predictor.load(SoundModel.shared()), 0);
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theClipsOfALabelAreListedWithPredictionsAndTheUnreadableOneWithItsError() {
        assertThat(http.get("/api/dataset").json().get("input_kind").asText()).isEqualTo("audio");
        JsonNode items = http.get("/api/items?label=tone&split=train").json().get("items");
        List<String> paths = items.findValuesAsText("path");
        assertThat(paths).containsExactlyInAnyOrder("tone/broken.wav", "tone/tone00.wav", "tone/tone01.flac",
                "tone/tone02.ogg");
        for (JsonNode i : items) {
            if (i.get("path").asText().equals("tone/broken.wav")) {
                assertThat(i.get("error").asText()).startsWith("cannot read: ").contains("not in a sound format");
                assertThat(i.get("predicted").isNull()).isTrue();
            } else {
                assertThat(SoundModel.LABELS).contains(i.get("predicted").asText());
                assertThat(i.has("error")).isFalse();
            }
        }
    }

    @Test
    void clipsAreServedWithTheirAudioTypeAndByteRanges() throws Exception {
        Http.Response wav = http.get("/api/image?path=tone/tone00.wav");
        assertThat(wav.status()).isEqualTo(200);
        assertThat(wav.header("Content-Type")).isEqualTo("audio/wav");
        byte[] onDisk = Files.readAllBytes(data.resolve("tone/tone00.wav"));
        assertThat(wav.body()).isEqualTo(onDisk);
        assertThat(http.get("/api/image?path=tone/tone02.ogg").header("Content-Type")).isEqualTo("audio/ogg");
        assertThat(http.get("/api/image?path=tone/tone01.flac").header("Content-Type")).isEqualTo("audio/flac");

        HttpResponse<byte[]> part = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                server.url().resolve("/api/image?path=tone/tone00.wav")).header("Range", "bytes=100-").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        // Javalin answers audio ranges from the requested start in chunks (of up to 128 KB), saying which bytes
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(onDisk, 100, 100 + part.body().length));
        assertThat(part.body().length).isPositive();
        assertThat(part.headers().firstValue("Content-Range").orElse("")).isEqualTo("bytes 100-"
                + (99 + part.body().length) + "/" + onDisk.length);
    }

    @Test
    void deleteMovesAClipToTheQuarantineRelabelMovesItAndUndoPutsThemBack() {
        Http.Response deleted = http.post("/api/delete", "application/json",
                "{\"path\":\"noise/noise00.wav\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
        assertThat(data.resolve("noise/noise00.wav")).doesNotExist();
        assertThat(data.resolve(".quarantine/noise/noise00.wav")).exists();
        assertThat(http.get("/api/items?label=noise&split=train").json().get("items").findValuesAsText("path"))
                .doesNotContain("noise/noise00.wav");

        Http.Response moved = http.post("/api/relabel", "application/json",
                "{\"path\":\"chirp/chirp01.flac\",\"label\":\"noise\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.json().get("message").asText()).isEqualTo("moved chirp/chirp01.flac to noise/chirp01.flac");
        assertThat(http.get("/api/items?label=noise&split=train").json().get("items").findValuesAsText("path"))
                .contains("noise/chirp01.flac");

        assertThat(http.post("/api/undo", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
        assertThat(data.resolve("chirp/chirp01.flac")).exists();
        assertThat(http.post("/api/undo", "application/json", "{}".getBytes(StandardCharsets.UTF_8)).status())
                .isEqualTo(200);
        assertThat(data.resolve("noise/noise00.wav")).exists();
    }
}
