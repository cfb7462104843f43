package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.predict.Predictor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The classifier page in a real (headless) browser: upload an image, see the prediction. */
@Tag("browser")
class PredictPageBrowserTest {
    @Test
    void uploadingAnImageShowsThePredictedLabelAndABarPerLabel(@TempDir Path tmp) throws Exception {
        Path model = TestModel.shared();
        Path image = tmp.resolve("my red picture.png");
        Files.write(image, TestModel.png(TestModel.square("red", new Random(5))));
        String expected;
        try (Predictor p = Predictor.load(model)) {
            expected = p.predict(image).label();
        }
        Path notImage = tmp.resolve("notes.png");
        Files.writeString(notImage, "<html>not an image</html>", StandardCharsets.UTF_8);
        try (PredictServer server = PredictServer.start(Predictor.load(model), ServeOptions.defaults().port(0));
             Browser b = Browser.start(tmp.resolve("profile"))) {
            b.driver.get(server.url().toString());
            b.await(d -> d.findElement(By.id("model-name")).getText().equals("colours"));
            assertThat(b.driver.findElement(By.id("model-labels")).getText()).isEqualTo("Labels: blue, red");
            assertThat(b.driver.getTitle()).isEqualTo("colours · Kodiak classifier");

            b.driver.findElement(By.id("file")).sendKeys(image.toAbsolutePath().toString());
            String shown = b.await(d -> {
                String t = d.findElement(By.id("predicted-label")).getText();
                return t.isEmpty() ? null : t;
            });
            assertThat(shown).isEqualTo(expected);
            List<WebElement> bars = b.driver.findElements(By.cssSelector("#probabilities li"));
            assertThat(bars).hasSize(2);
            assertThat(bars.get(0).getAttribute("class")).isEqualTo("best");
            assertThat(bars.get(0).findElement(By.className("name")).getText()).isEqualTo(expected);
            assertThat(b.driver.findElement(By.id("preview")).getAttribute("alt"))
                    .isEqualTo("The image you chose: my red picture.png");
            assertThat(b.driver.findElement(By.id("error")).isDisplayed()).isFalse();
            b.screenshot("predict-page");

            b.driver.findElement(By.id("file")).sendKeys(notImage.toAbsolutePath().toString());
            String error = b.await(d -> {
                WebElement e = d.findElement(By.id("error"));
                return e.isDisplayed() ? e.getText() : null;
            });
            assertThat(error).startsWith("cannot read image notes.png: ");
            assertThat(b.driver.findElements(By.cssSelector("#probabilities li"))).isEmpty();
            b.screenshot("predict-page-error");
        }
    }
}
