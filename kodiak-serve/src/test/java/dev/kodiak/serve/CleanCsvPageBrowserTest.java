package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.data.TaskKind;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The cleaner page on CSV-labelled data in a real (headless) browser: the editor each task needs, or read-only. */
@Tag("browser")
class CleanCsvPageBrowserTest {
    @TempDir
    Path tmp;

    private static boolean idle(WebDriver d) {
        return "false".equals(d.findElement(By.tagName("body")).getAttribute("data-busy"));
    }

    private static List<WebElement> cards(Browser b, String status) {
        return b.await(d -> {
            List<WebElement> c = d.findElements(By.cssSelector("#items li.card"));
            return idle(d) && !c.isEmpty() && d.findElement(By.id("status")).getText().equals(status) ? c : null;
        });
    }

    private static WebElement card(List<WebElement> cards, String path) {
        return cards.stream().filter(c -> path.equals(c.getAttribute("data-path"))).findFirst().orElseThrow();
    }

    @Test
    void regressionCardsShowTheNumbersAndSavingNewOnesRewritesTheCsvRow() throws Exception {
        Path data = tmp.resolve("sizes");
        Path model = TestModel.csvModel(data, TaskKind.REGRESSION);
        String original = Files.readString(data.resolve("labels.csv"));
        try (CleanServer server = CleanServer.start(data, Predictor.load(model), 0);
             Browser b = Browser.start(tmp.resolve("profile"))) {
            b.driver.get(server.url().toString());
            b.await(d -> d.findElement(By.id("model-name")).getText().equals("· sizes"));
            assertThat(b.driver.findElement(By.id("csv-help")).isDisplayed()).isTrue();
            assertThat(b.driver.findElement(By.id("csv-name")).getText()).isEqualTo("labels.csv");
            assertThat(b.driver.findElement(By.id("help")).isDisplayed()).isFalse();
            assertThat(b.driver.findElement(By.id("read-only")).isDisplayed()).isFalse();
            assertThat(new Select(b.driver.findElement(By.id("label-select"))).getOptions())
                    .extracting(WebElement::getText).containsExactly("(all)");

            List<WebElement> cards = cards(b, "4 images in valid, worst first.");
            WebElement card = card(cards, "img/03.png");
            assertThat(card.findElement(By.className("truth")).getText()).isEqualTo("In labels.csv: w = 3.5, h = 0");
            assertThat(card.findElement(By.className("pred")).getText()).matches("Predicted w = \\S+, h = \\S+");
            WebElement w = card.findElement(By.cssSelector("input[name='w']"));
            assertThat(w.getAttribute("value")).isEqualTo("3.5");
            w.clear();
            w.sendKeys("12.5");
            card.findElement(By.xpath(".//button[text()='Save values']")).click();
            b.await(d -> d.findElement(By.id("status")).getText()
                    .equals("Relabelled img/03.png in labels.csv: 3.5, 0 → 12.5, 0."));
            assertThat(Files.readString(data.resolve("labels.csv")))
                    .isEqualTo(original.replace("img/03.png,3.5,0,yes", "img/03.png,12.5,0,yes"));
            assertThat(card.findElement(By.className("outcome")).getText()).isEqualTo("Now 12.5, 0");
            b.screenshot("clean-page-regression");

            b.driver.findElement(By.id("undo")).click();
            b.await(d -> idle(d) && d.findElement(By.id("status")).getText()
                    .equals("Undid #1: img/03.png is back in labels.csv. 4 images in valid, worst first."));
            assertThat(Files.readString(data.resolve("labels.csv"))).isEqualTo(original);
        }
    }

    @Test
    void multiLabelCardsHaveABoxPerLabelAndDeleteTakesTheRowOut() throws Exception {
        Path data = tmp.resolve("tags");
        Path model = TestModel.csvModel(data, TaskKind.MULTI_LABEL);
        try (CleanServer server = CleanServer.start(data, Predictor.load(model), 0);
             Browser b = Browser.start(tmp.resolve("profile"))) {
            b.driver.get(server.url().toString());
            b.await(d -> d.findElement(By.id("model-name")).getText().equals("· tags"));
            new Select(b.driver.findElement(By.id("label-select"))).selectByValue("warm");
            new Select(b.driver.findElement(By.id("split-select"))).selectByValue("train");
            List<WebElement> cards = cards(b, "4 images labelled warm in train, worst first.");
            WebElement card = card(cards, "img/04.png");
            assertThat(card.findElement(By.className("truth")).getText()).isEqualTo("In labels.csv: red, warm");
            List<WebElement> boxes = card.findElements(By.cssSelector("label.tag input"));
            assertThat(boxes).extracting(e -> e.getAttribute("value")).containsExactly("blue", "red", "warm");
            assertThat(boxes).extracting(WebElement::isSelected).containsExactly(false, true, true);
            boxes.get(2).click(); // warm off
            boxes.get(0).click(); // blue on
            card.findElement(By.xpath(".//button[text()='Save labels']")).click();
            b.await(d -> d.findElement(By.id("status")).getText()
                    .equals("Relabelled img/04.png in labels.csv: red warm → blue red."));
            assertThat(Files.readString(data.resolve("labels.csv"))).contains("img/04.png,blue red,no\n");

            WebElement other = card(cards, "img/08.png");
            other.findElement(By.xpath(".//button[text()='Delete']")).click();
            b.await(d -> d.findElement(By.id("status")).getText().startsWith("Deleted img/08.png"));
            assertThat(Files.readString(data.resolve("labels.csv"))).doesNotContain("img/08.png");
            assertThat(data.resolve(".quarantine/img/08.png")).exists();
            assertThat(b.driver.findElements(By.cssSelector("#history li"))).extracting(WebElement::getText)
                    .containsExactly("#2 delete: img/08.png → .quarantine/img/08.png", "#1 relabel: img/04.png → blue red");
            b.screenshot("clean-page-multi-label");
        }
    }

    @Test
    void aCsvOutsideTheDataFolderShowsAReadOnlyNoticeAndNoButtons() throws Exception {
        Path data = tmp.resolve("colours");
        Path outside = tmp.resolve("elsewhere.csv");
        Path readOnly = TestModel.csvModelWithCsvOutside(data, outside, tmp.resolve("outside.kodiak"));
        try (CleanServer server = CleanServer.start(data, Predictor.load(readOnly), 0);
             Browser b = Browser.start(tmp.resolve("profile"))) {
            b.driver.get(server.url().toString());
            String notice = b.await(d -> {
                WebElement e = d.findElement(By.id("read-only"));
                return e.isDisplayed() ? e.getText() : null;
            });
            assertThat(notice).startsWith("Read-only: the CSV " + outside.toRealPath() + " lies outside the data folder");
            assertThat(b.driver.findElement(By.id("undo")).isDisplayed()).isFalse();
            new Select(b.driver.findElement(By.id("label-select"))).selectByValue("red");
            new Select(b.driver.findElement(By.id("split-select"))).selectByValue("train");
            List<WebElement> cards = cards(b, "8 images labelled red in train, worst first.");
            assertThat(cards.get(0).findElement(By.className("truth")).getText())
                    .isEqualTo("In " + outside.toRealPath() + ": red");
            for (WebElement card : cards) {
                assertThat(card.findElements(By.tagName("button"))).isEmpty();
            }
            b.screenshot("clean-page-read-only");
        }
    }
}
