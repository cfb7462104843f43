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
import org.openqa.selenium.support.ui.Select;

/** The cleaner on sound clips in a real (headless) browser: a player per clip that loads the clip; delete works. */
@Tag("browser")
class CleanSoundPageBrowserTest {
    @Test
    void eachClipHasAPlayerThatLoadsItAndDeleteMovesItToTheQuarantine(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("sounds");
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
        try (CleanServer server = CleanServer.start(data, Predictor.load(SoundModel.shared()), 0);
             Browser b = Browser.start(tmp.resolve("profile"))) {
            b.driver.get(server.url().toString());
            b.await(d -> d.findElement(By.id("model-name")).getText().equals("· sounds"));
            new Select(b.driver.findElement(By.id("label-select"))).selectByValue("tone");
            new Select(b.driver.findElement(By.id("split-select"))).selectByValue("train");
            b.driver.findElement(By.id("show")).click();
            List<WebElement> cards = b.await(d -> {
                List<WebElement> c = d.findElements(By.cssSelector("#items li.card"));
                return idle(d) && c.size() == 3 && d.findElement(By.id("status")).getText().contains("in train") ? c : null;
            });
            assertThat(b.driver.findElement(By.id("status")).getText()).isEqualTo("3 clips labelled tone in train, worst first.");
            assertThat(b.driver.findElements(By.cssSelector("#items li.card img"))).isEmpty();
            WebElement player = cards.get(0).findElement(By.tagName("audio"));
            assertThat(player.getAttribute("src")).contains("/api/image?path=tone%2F");
            // the browser itself decodes what the server sends (media type and ranges): it learns the clip's length
            b.driver.executeScript("arguments[0].preload = 'auto'; arguments[0].load();", player);
            Number seconds = b.await(d -> {
                Object v = b.driver.executeScript("const a = arguments[0]; return a.readyState >= 1 ? a.duration : null;",
                        player);
                return v instanceof Number n && n.doubleValue() > 0 ? n : null;
            });
            assertThat(seconds.doubleValue()).isBetween(0.5, 1.4); // the synthesized clips last 0.6 to 1.3 s
            b.screenshot("clean-sound-page");

            String deleted = cards.get(0).getAttribute("data-path");
            cards.get(0).findElement(By.xpath(".//button[text()='Delete']")).click();
            b.await(d -> d.findElement(By.id("status")).getText().startsWith("Deleted " + deleted));
            assertThat(data.resolve(deleted)).doesNotExist();
            assertThat(data.resolve(".quarantine").resolve(deleted)).exists();
        }
    }

    private static boolean idle(org.openqa.selenium.WebDriver d) {
        return "false".equals(d.findElement(By.tagName("body")).getAttribute("data-busy"));
    }
}
