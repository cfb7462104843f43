package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The serve and clean commands' argument handling (the servers themselves are tested in kodiak-serve). */
class ServeCommandTest {
    @Test
    void serveNamesAMissingModelFileInOneLine(@TempDir Path tmp) {
        CliRun r = CliRun.of("serve", tmp.resolve("nope.kodiak").toString(), "--port", "0");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("kodiak: ").contains("nope.kodiak").doesNotContain("\tat ");
    }

    @Test
    void serveRefusesAnAbsurdUploadLimit(@TempDir Path tmp) {
        CliRun r = CliRun.of("serve", tmp.resolve("m.kodiak").toString(), "--max-upload", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--max-upload must be between 1 and 1024 MB");
    }

    @Test
    void serveRefusesANonPositiveLimitOfSeconds(@TempDir Path tmp) {
        CliRun r = CliRun.of("serve", tmp.resolve("m.kodiak").toString(), "--max-seconds", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--max-seconds must be a number of seconds above 0 and at most 86400, got 0.0");
    }

    @Test
    void cleanNeedsAnExistingFolderAndAModel(@TempDir Path tmp) throws Exception {
        CliRun missing = CliRun.of("clean", tmp.resolve("nothing").toString(), "--model", "m.kodiak");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("kodiak: data folder " + tmp.resolve("nothing") + " does not exist or is not a folder"
                + System.lineSeparator());
        Files.createDirectories(tmp.resolve("bears"));
        CliRun noModel = CliRun.of("clean", tmp.resolve("bears").toString());
        assertThat(noModel.exitCode()).isEqualTo(2);
        assertThat(noModel.err()).contains("Missing required option: '--model=MODEL'");
    }

    @Test
    void helpListsTheOptions() {
        assertThat(CliRun.of("serve", "--help").out()).contains("--port", "--host", "--max-upload", "--max-batch",
                "--batch-wait", "--queue", "--max-seconds");
        assertThat(CliRun.of("clean", "--help").out()).contains("--model", "--port", "DATA_DIR");
        assertThat(CliRun.of("bench", "serve", "--help").out()).contains("--clients", "--requests");
        assertThat(CliRun.of("bench", "serve", "http://192.0.2.1:8080/", "--image", "x.png").err())
                .contains("only drives servers on this machine");
    }
}
