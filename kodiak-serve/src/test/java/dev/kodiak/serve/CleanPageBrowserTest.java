package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The cleaner in a real (headless) browser: delete one image, move another, undo both; the files follow. */
@Tag("browser")
class CleanPageBrowserTest {
    @Test
    void deleteAndRelabelMoveFilesAndUndoRestoresThem(@TempDir Path tmp) {
        Path data = tmp.resolve("colours");
        Path model = TestModel.copyWithModel(data, tmp.resolve("colours.kodiak"));
        try (CleanServer server = CleanServer.start(data, Predictor.load(model), 0);
             Browser b = Browser.start(tmp.resolve("profile"))) {
            b.driver.get(server.url().toString());
            b.await(d -> d.findElement(By.id("model-name")).getText().equals("· colours"));
            new Select(b.driver.findElement(By.id("label-select"))).selectByValue("blue");
            new Select(b.driver.findElement(By.id("split-select"))).selectByValue("train");
            b.driver.findElement(By.id("show")).click();
            List<WebElement> cards = b.await(d -> {
                List<WebElement> c = d.findElements(By.cssSelector("#items li.card"));
                return idle(d) && c.size() >= 2 && d.findElement(By.id("status")).getText().contains("in train") ? c : null;
            });
            assertThat(b.driver.findElement(By.id("status")).getText()).isEqualTo(cards.size() + " images labelled blue in train, worst first.");
            b.screenshot("clean-page");

            String deleted = cards.get(0).getAttribute("data-path");
            String relabelled = cards.get(1).getAttribute("data-path");
            cards.get(0).findElement(By.xpath(".//button[text()='Delete']")).click();
            b.await(d -> d.findElement(By.id("status")).getText().startsWith("Deleted " + deleted));
            assertThat(data.resolve(deleted)).doesNotExist();
            assertThat(data.resolve(".quarantine").resolve(deleted)).exists();

            new Select(cards.get(1).findElement(By.tagName("select"))).selectByValue("red");
            cards.get(1).findElement(By.xpath(".//button[text()='Move']")).click();
            String name = Path.of(relabelled).getFileName().toString();
            b.await(d -> d.findElement(By.id("status")).getText().equals("Moved " + relabelled + " to red/" + name + "."));
            assertThat(data.resolve(relabelled)).doesNotExist();
            assertThat(data.resolve("red").resolve(name)).exists();
            assertThat(b.driver.findElements(By.cssSelector("#history li"))).hasSize(2);
            b.screenshot("clean-page-after-changes");

            b.driver.findElement(By.id("undo")).click();
            b.await(d -> idle(d) && d.findElement(By.id("status")).getText().startsWith("Undid #2: blue/"));
            assertThat(data.resolve(relabelled)).exists();
            assertThat(data.resolve("red").resolve(name)).doesNotExist();
            b.driver.findElement(By.id("undo")).click();
            b.await(d -> idle(d) && d.findElement(By.id("status")).getText().equals("Undid #1: " + deleted
                    + " is back. 9 images labelled blue in train, worst first."));
            assertThat(data.resolve(deleted)).exists();
            assertThat(data.resolve(".quarantine").resolve(deleted)).doesNotExist();

            b.driver.findElement(By.id("undo")).click();
            String error = b.await(d -> {
                WebElement e = d.findElement(By.id("error"));
                return e.isDisplayed() ? e.getText() : null;
            });
            assertThat(error).isEqualTo("Cannot undo: nothing to undo");
        }
    }

    private static boolean idle(org.openqa.selenium.WebDriver d) {
        return "false".equals(d.findElement(By.tagName("body")).getAttribute("data-busy"));
    }
}
