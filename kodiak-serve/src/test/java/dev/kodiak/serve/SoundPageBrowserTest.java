package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The classifier page of a sound model in a real (headless) browser: it offers sound files, plays the chosen one
 * and shows the prediction; it records from the microphone (Chromium's fake device: a beep) with MediaRecorder and
 * the server decodes the webm/Opus recording.
 */
@Tag("browser")
class SoundPageBrowserTest {
    @Test
    void uploadingASoundFileAndRecordingFromTheMicrophoneShowPredictions(@TempDir Path tmp) throws Exception {
        Path model = SoundModel.shared();
        Path clip = tmp.resolve("my beep.wav");
        Files.write(clip, SoundModel.toneWav(16000, 0.7, 880));
        String expected;
        try (Predictor p = Predictor.load(model)) {
            expected = p.predict(clip).label();
        }
        try (PredictServer server = PredictServer.start(Predictor.load(model), ServeOptions.defaults().port(0));
             Browser b = Browser.start(tmp.resolve("profile"), "--use-fake-device-for-media-stream",
                     "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required")) {
            b.driver.get(server.url().toString());
            b.await(d -> d.findElement(By.id("model-name")).getText().equals("sounds"));
            assertThat(b.driver.findElement(By.id("choose-button")).getText()).isEqualTo("Choose a sound file");
            assertThat(b.driver.findElement(By.id("file")).getAttribute("accept")).startsWith("audio/*,.webm,")
                    .contains(".wav").contains(".ogg");
            WebElement record = b.driver.findElement(By.id("record"));
            assertThat(record.isDisplayed()).isTrue();

            b.driver.findElement(By.id("file")).sendKeys(clip.toAbsolutePath().toString());
            String shown = b.await(d -> {
                String t = d.findElement(By.id("predicted-label")).getText();
                return t.isEmpty() ? null : t;
            });
            assertThat(shown).isEqualTo(expected);
            List<WebElement> bars = b.driver.findElements(By.cssSelector("#probabilities li"));
            assertThat(bars).hasSize(3);
            assertThat(b.driver.findElement(By.id("player")).isDisplayed()).isTrue();
            assertThat(b.driver.findElement(By.id("player")).getAttribute("src")).startsWith("blob:");
            assertThat(b.driver.findElement(By.id("preview")).isDisplayed()).isFalse();
            assertThat(b.driver.findElement(By.id("preview-name")).getText()).isEqualTo("my beep.wav");
            b.screenshot("sound-page");

            // the microphone: record, wait until the recorder has data, stop; the upload is the browser's own webm/ogg
            record.click();
            b.await(d -> d.findElement(By.id("record")).getText().equals("Stop"));
            b.await(d -> Long.parseLong(d.findElement(By.id("record-status")).getAttribute("data-bytes")) > 2000);
            record.click();
            String recorded = b.await(d -> {
                String name = d.findElement(By.id("preview-name")).getText();
                String label = d.findElement(By.id("predicted-label")).getText();
                return name.startsWith("recording.") && !label.isEmpty() ? name : null;
            });
            assertThat(recorded).isIn("recording.webm", "recording.ogg");
            assertThat(b.driver.findElement(By.id("error")).isDisplayed()).as(b.driver.findElement(By.id("error"))
                    .getText()).isFalse();
            assertThat(b.driver.findElements(By.cssSelector("#probabilities li"))).hasSize(3);
            b.screenshot("sound-page-recording");
        }
    }
}
