package dev.kodiak.serve;

import dev.kodiak.testing.Peers;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Function;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for the page tests, from Debian's {@code chromium} and {@code chromium-driver} packages (the
 * tools' own browser downloads do not work offline). Tests are skipped, saying so, when they are not installed,
 * and fail in CI ({@link Peers}).
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** A fresh headless browser with its own profile in {@code profile}; skips the test when there is none. */
    static Browser start(Path profile) {
        return start(profile, new String[0]);
    }

    /** As {@link #start(Path)}, with more Chromium switches (e.g. a fake microphone). */
    static Browser start(Path profile, String... switches) {
        Peers.assume(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "headless Chromium (" + CHROMIUM + " and " + DRIVER + ")", "apt-get install chromium chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-dev-shm-usage", "--window-size=1200,1000",
                "--user-data-dir=" + profile.toAbsolutePath());
        options.addArguments(switches);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver);
    }

    /** Waits (up to 30 s) until {@code condition} gives a non-null, non-false value, and returns it. */
    <T> T await(Function<WebDriver, T> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(30)).until(condition::apply);
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("timeout");
            throw new AssertionError("the page did not get there in 30 s; status: '" + text("status") + "', error: '"
                    + text("error") + "' (screenshot: target/screenshots/timeout.png)", e);
        }
    }

    private String text(String id) {
        var found = driver.findElements(org.openqa.selenium.By.id(id));
        return found.isEmpty() ? "(none)" : found.get(0).getText();
    }

    /** Saves a screenshot as {@code target/screenshots/NAME.png} for people to look at. */
    Path screenshot(String name) {
        try {
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = Path.of("target", "screenshots", name + ".png");
            Files.createDirectories(target.getParent());
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
