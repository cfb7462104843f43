package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.data.TaskKind;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** The predict page in a real (headless) browser for the other two tasks: the numbers, or the label set with bars. */
@Tag("browser")
class PredictPageTasksBrowserTest {
    @TempDir
    Path tmp;

    private Path image() throws Exception {
        Path image = tmp.resolve("mine.png");
        Files.write(image, TestModel.png(TestModel.square("red", new Random(5))));
        return image;
    }

    private static String predictedText(Browser b, Path image) {
        b.driver.findElement(By.id("file")).sendKeys(image.toAbsolutePath().toString());
        return b.await(d -> d.findElement(By.id("status")).getText().startsWith("Answered in")
                ? d.findElement(By.id("predicted-label")).getText() : null);
    }

    @Test
    void aRegressionModelShowsOneNumberPerTargetAndNoBars() throws Exception {
        Path model = TestModel.csvModel(tmp.resolve("sizes"), TaskKind.REGRESSION);
        Path image = image();
        Map<String, Double> expected;
        try (Predictor p = Predictor.load(model)) {
            expected = p.predict(image).values();
        }
        try (PredictServer server = PredictServer.start(Predictor.load(model), ServeOptions.defaults().port(0));
             Browser b = Browser.start(tmp.resolve("profile"))) {
            b.driver.get(server.url().toString());
            b.await(d -> d.findElement(By.id("model-name")).getText().equals("sizes"));
            assertThat(b.driver.findElement(By.id("model-labels")).getText()).isEqualTo("Predicts: w, h");

            String shown = predictedText(b, image);
            assertThat(shown).matches("w = \\S+, h = \\S+");
            String[] parts = shown.split(", ");
            double w = Double.parseDouble(parts[0].substring("w = ".length()));
            double h = Double.parseDouble(parts[1].substring("h = ".length()));
            // four significant digits, as the page rounds them
            assertThat(w).isCloseTo(expected.get("w"), within(Math.abs(expected.get("w")) * 1e-3 + 1e-9));
            assertThat(h).isCloseTo(expected.get("h"), within(Math.abs(expected.get("h")) * 1e-3 + 1e-9));
            assertThat(b.driver.findElement(By.id("predicted-probability")).getText()).isEmpty();
            assertThat(b.driver.findElements(By.cssSelector("#probabilities li"))).isEmpty();
            b.screenshot("predict-page-regression");
        }
    }

    @Test
    void aMultiLabelModelShowsTheLabelSetABarPerLabelAndTheThresholdLine() throws Exception {
        Path model = TestModel.csvModel(tmp.resolve("tags"), TaskKind.MULTI_LABEL);
        Path image = image();
        Prediction expected;
        try (Predictor p = Predictor.load(model)) {
            expected = p.predict(image);
        }
        try (PredictServer server = PredictServer.start(Predictor.load(model), ServeOptions.defaults().port(0));
             Browser b = Browser.start(tmp.resolve("profile"))) {
            b.driver.get(server.url().toString());
            b.await(d -> d.findElement(By.id("model-name")).getText().equals("tags"));
            assertThat(b.driver.findElement(By.id("model-labels")).getText())
                    .isEqualTo("Labels: blue, red, warm (a label is given from 50.0%)");

            String shown = predictedText(b, image);
            assertThat(shown).isEqualTo(expected.labels().isEmpty() ? "(no label above the threshold)"
                    : String.join(", ", expected.labels()));
            List<WebElement> bars = b.driver.findElements(By.cssSelector("#probabilities li"));
            assertThat(bars).hasSize(3);
            List<String> names = new ArrayList<>();
            List<String> best = new ArrayList<>();
            for (WebElement bar : bars) {
                String name = bar.findElement(By.className("name")).getText();
                names.add(name);
                if ("best".equals(bar.getAttribute("class"))) {
                    best.add(name);
                }
                WebElement line = bar.findElement(By.className("threshold"));
                assertThat(line.getAttribute("style")).contains("left: 50%");
                assertThat(line.getAttribute("title")).isEqualTo("threshold 50.0%");
                double p = expected.probabilities().get(name);
                assertThat(Double.parseDouble(bar.findElement(By.className("track")).getAttribute("aria-valuenow")))
                        .isCloseTo(100 * p, within(0.051));
            }
            assertThat(names).containsExactlyInAnyOrder("blue", "red", "warm");
            assertThat(best).containsExactlyInAnyOrderElementsOf(expected.labels());
            b.screenshot("predict-page-multi-label");
        }
    }
}
