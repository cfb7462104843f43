package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.learn.VisionLearnerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Library diagnostics go through SLF4J; the CLI's backend shows them as its own {@code kodiak: WARNING:} lines. */
class LoggingTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeEach
    void captureStderr() {
        stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(stderr);
    }

    private String err() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aLibraryWarningReadsAsTheCliWarning() {
        LoggerFactory.getLogger("dev.kodiak.vision.TurboJpeg").warn("libjpeg-turbo is not available on {}", "riscv64");
        assertThat(err()).isEqualTo("kodiak: WARNING: libjpeg-turbo is not available on riscv64"
                + System.lineSeparator());
    }

    @Test
    void theVisionLearnersDefaultWarningsGoThroughSlf4j() {
        System.setProperty("org.slf4j.simpleLogger.log.dev.kodiak.vision.learn.VisionLearner", "error");
        try {
            // a level set for the logger silences it: it went through SLF4J, not straight to stderr
            VisionLearnerOptions.defaults().warnings().accept("no pretrained weights: random initialisation");
            assertThat(err()).isEmpty();
        } finally {
            System.clearProperty("org.slf4j.simpleLogger.log.dev.kodiak.vision.learn.VisionLearner");
        }
    }
}
