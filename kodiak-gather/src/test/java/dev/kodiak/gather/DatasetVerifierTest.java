package dev.kodiak.gather;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.io.Quarantine;
import dev.kodiak.io.VerifyReport;
import dev.kodiak.testing.Wavs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder mixing images and sound: both kinds are checked, bad ones of each kind quarantined with their reasons. */
class DatasetVerifierTest {
    @TempDir
    Path dir;

    @Test
    void aMixedFolderHasItsBadImagesAndBadSoundQuarantined() throws IOException {
        Files.createDirectories(dir.resolve("cat"));
        Files.createDirectories(dir.resolve("meow"));
        byte[] png = Pictures.png(Pictures.picture(32, 32, 1));
        Files.write(dir.resolve("cat/good.png"), png);
        Files.write(dir.resolve("cat/cut.png"), Arrays.copyOf(png, png.length / 2));
        Files.write(dir.resolve("meow/good.wav"), Wavs.pcm16(8000, 4000));
        Files.write(dir.resolve("meow/long.wav"), Wavs.pcm16(8000, 8000 * 3));
        Files.write(dir.resolve("meow/cut.wav"), Arrays.copyOf(Wavs.pcm16(8000, 8000), 44 + 2 * 1000));
        Files.writeString(dir.resolve("meow/page.ogg"), "<html>Not found</html>");

        VerifyReport report = DatasetVerifier.withMaxSeconds(2).verify(dir, false);

        assertThat(report.checked()).isEqualTo(6);
        assertThat(report.ok()).isEqualTo(2);
        assertThat(report.failures()).extracting(f -> dir.relativize(f.file()).toString(),
                        VerifyReport.Failure::reasonCode)
                .containsExactly(
                        Tuple.tuple("cat/cut.png", "truncated"),
                        Tuple.tuple("meow/cut.wav", "truncated"),
                        Tuple.tuple("meow/long.wav", "too-long"),
                        Tuple.tuple("meow/page.ogg", "not-audio"));
        assertThat(dir.resolve(".quarantine/meow/long.wav")).exists();
        assertThat(dir.resolve(".quarantine/cat/cut.png")).exists();
        assertThat(Quarantine.of(dir).restore().restored()).hasSize(4);
        assertThat(DatasetVerifier.standard().verify(dir, true).failures()).extracting(VerifyReport.Failure::reasonCode)
                .containsExactly("truncated", "truncated", "not-audio"); // 3 s is fine under the default 600 s
    }
}
