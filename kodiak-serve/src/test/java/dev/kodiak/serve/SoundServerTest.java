package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kodiak serve} with a sound model: uploads (WAV, Ogg Opus, a browser's WebM Opus recording) are decoded
 * through the model's input kind and answered in the image shapes; every unusable upload is a 422 with its reason
 * code, a clip over the model's (or the server's) limit of seconds included; an upload over the byte limit is a 413.
 */
@Tag("slow")
class SoundServerTest {
    private static final long LIMIT = 512 * 1024;
    static PredictServer server;
    static Http http;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = PredictServer.start(Predictor.load(SoundModel.shared()), ServeOptions.defaults().port(0)
                .maxUploadBytes(LIMIT));
        http = new Http(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aWavUploadGetsTheAnswerThePredictorGivesForTheFile() throws Exception {
        byte[] wav = SoundModel.toneWav(22050, 0.8, 660);
        Http.Response r = http.multipart("/api/predict", new Http.Part("file", "beep.wav", wav));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode j = r.json();
        assertThat(j.get("file").asText()).isEqualTo("beep.wav");
        assertThat(j.get("model").asText()).isEqualTo("sounds");
        assertThat(SoundModel.LABELS).contains(j.get("label").asText());
        JsonNode p = j.get("probabilities");
        assertThat(p.size()).isEqualTo(3);

        Path file = dir.resolve("beep.wav");
        Files.write(file, wav);
        try (Predictor direct = Predictor.load(SoundModel.shared())) {
            Prediction d = direct.predict(file);
            assertThat(j.get("label").asText()).isEqualTo(d.label());
            for (String label : SoundModel.LABELS) {
                assertThat(p.get(label).asDouble()).isCloseTo(d.probabilities().get(label), within(1e-5));
            }
        }
    }

    @Test
    void oggOpusAndABrowsersWebmRecordingAreDecodedByFfmpeg() throws Exception {
        byte[] wav = SoundModel.toneWav(48000, 1.0, 440);
        byte[] ogg = SoundModel.convert(wav, "ogg", "-c:a", "libopus");
        byte[] webm = SoundModel.convert(wav, "webm", "-c:a", "libopus");
        Http.Response a = http.multipart("/api/predict", new Http.Part("file", "clip.ogg", ogg));
        assertThat(a.status()).as(a.text()).isEqualTo(200);
        // MediaRecorder's upload: a webm blob whose name says nothing useful
        Http.Response b = http.multipart("/api/predict", new Http.Part("file", "recording", webm));
        assertThat(b.status()).as(b.text()).isEqualTo(200);
        assertThat(b.json().get("file").asText()).isEqualTo("recording");
        assertThat(SoundModel.LABELS).contains(b.json().get("label").asText());
        // raw body, as curl --data-binary sends it
        Http.Response c = http.post("/api/predict?name=clip.ogg", "audio/ogg", ogg);
        assertThat(c.status()).as(c.text()).isEqualTo(200);
        assertThat(c.json().get("label").asText()).isEqualTo(a.json().get("label").asText());
    }

    @Test
    void theModelSummarySaysTheInputKindWhatThePageAcceptsAndTheLimitOfSeconds() {
        JsonNode j = http.get("/api/model").json();
        assertThat(j.get("input_kind").asText()).isEqualTo("audio");
        assertThat(j.get("accept").toString()).contains("\"audio/*\"", "\".wav\"", "\".webm\"");
        assertThat(j.get("max_seconds").asDouble()).isEqualTo(SoundModel.MAX_SECONDS);
        assertThat(j.get("labels").toString()).isEqualTo("[\"chirp\",\"noise\",\"tone\"]");
    }

    @Test
    void everyUnusableUploadIsA422WithItsReasonCode() {
        byte[] wav = SoundModel.toneWav(8000, 1.0, 440);
        assertReason(new byte[0], "empty.wav", "empty");
        assertReason(Arrays.copyOf(wav, 44 + wav.length / 3), "cut.wav", "truncated");
        assertReason("<html><body>404 not found</body></html>".getBytes(StandardCharsets.UTF_8), "page.wav",
                "not-audio");
        assertReason(SoundModel.toneWav(8000, SoundModel.MAX_SECONDS + 1, 440), "long.wav", "too-long");
        byte[] fast = SoundModel.toneWav(8000, 0.1, 440);
        java.nio.ByteBuffer.wrap(fast).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(24, 400_000).putInt(28, 800_000);
        assertReason(fast, "fast.wav", "unsupported");
    }

    @Test
    void theServersLimitOfSecondsOverridesTheModels() {
        try (PredictServer strict = PredictServer.start(Predictor.load(SoundModel.shared()), ServeOptions.defaults()
                .port(0).maxSeconds(1))) {
            Http h = new Http(strict.url());
            Http.Response r = h.multipart("/api/predict", new Http.Part("file", "a.wav",
                    SoundModel.toneWav(8000, 1.5, 440)));
            assertThat(r.status()).as(r.text()).isEqualTo(422);
            assertThat(r.json().get("reason").asText()).isEqualTo("too-long");
            assertThat(r.json().get("error").asText()).contains("a.wav").contains("over the limit of 1 s");
            assertThat(h.get("/api/model").json().get("max_seconds").asDouble()).isEqualTo(1.0);
            assertThat(h.multipart("/api/predict", new Http.Part("file", "b.wav", SoundModel.toneWav(8000, 0.5, 440)))
                    .status()).isEqualTo(200);
        }
    }

    @Test
    void anUploadOverTheByteLimitIsA413() {
        byte[] big = SoundModel.toneWav(44100, 6.5, 440); // 573 KB > 512 KB
        Http.Response r = http.multipart("/api/predict", new Http.Part("file", "big.wav", big));
        assertThat(r.status()).as(r.text()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).contains("larger than the limit of 512 KB");
    }

    private static void assertReason(byte[] bytes, String name, String reason) {
        Http.Response r = http.multipart("/api/predict", new Http.Part("file", name, bytes));
        assertThat(r.status()).as(name + ": " + r.text()).isEqualTo(422);
        JsonNode j = r.json();
        assertThat(j.get("reason").asText()).as(j.toString()).isEqualTo(reason);
        assertThat(j.get("error").asText()).startsWith("cannot read audio " + name + ": ");
    }
}
