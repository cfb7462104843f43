package dev.kodiak.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.vision.ImageDecodeException.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierTest {
    @TempDir
    Path dir;

    /** good.png, good.jpg, and one file per failure reason, in two label folders. */
    private void dataset() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        BufferedImage img = TestImages.quadrants(32, 32);
        Files.write(dir.resolve("a/good.png"), TestImages.encode(img, "png"));
        byte[] jpeg = TestImages.jpeg(TestImages.noise(32, 32, 1), false);
        Files.write(dir.resolve("a/good.jpg"), jpeg);
        Files.write(dir.resolve("a/truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Files.write(dir.resolve("b/empty.jpg"), new byte[0]);
        Files.writeString(dir.resolve("b/page.jpg"), "<!DOCTYPE html><html><body>hi</body></html>");
        Files.write(dir.resolve("b/tiff.png"), new byte[] {'I', 'I', '*', 0, 8, 0, 0, 0, 0, 0, 0, 0});
        Files.write(dir.resolve("b/big.png"), TestImages.encode(TestImages.quadrants(40, 40), "png"));
    }

    @Test
    void everyFailureIsReportedWithItsReasonAndMovedToQuarantine() throws IOException {
        dataset();
        Verifier verifier = Verifier.of(ImageDecoder.withLimits(DecodeLimits.DEFAULT.withMaxPixels(39 * 39)), 2);
        VerifyReport report = verifier.verify(dir, false);

        assertThat(report.checked()).isEqualTo(7);
        assertThat(report.ok()).isEqualTo(2);
        assertThat(report.dryRun()).isFalse();
        assertThat(report.failures()).extracting(f -> dir.relativize(f.file()).toString(),
                        VerifyReport.Failure::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a/truncated.jpg", Reason.TRUNCATED),
                        org.assertj.core.groups.Tuple.tuple("b/big.png", Reason.TOO_LARGE),
                        org.assertj.core.groups.Tuple.tuple("b/empty.jpg", Reason.ZERO_BYTES),
                        org.assertj.core.groups.Tuple.tuple("b/page.jpg", Reason.NOT_AN_IMAGE),
                        org.assertj.core.groups.Tuple.tuple("b/tiff.png", Reason.UNSUPPORTED_FORMAT));
        assertThat(report.failures().get(0).reasonCode()).isEqualTo("truncated");
        assertThat(report.failures().get(0).message()).contains("the file ends after");
        for (VerifyReport.Failure f : report.failures()) {
            assertThat(f.file()).doesNotExist();
            assertThat(f.quarantinedTo()).exists()
                    .isEqualTo(dir.toRealPath().resolve(".quarantine").resolve(dir.relativize(f.file())));
        }
        assertThat(ImageFiles.find(dir)).containsExactly(dir.resolve("a/good.jpg"), dir.resolve("a/good.png"));
        assertThat(Quarantine.of(dir).entries()).extracting(QuarantineEntry::reason)
                .first().asString().startsWith("truncated: the file ends after");
        assertThat(Quarantine.of(dir).entries()).extracting(QuarantineEntry::by).containsOnly("verify");

        // A second run finds nothing more; restoring brings every file back.
        VerifyReport again = verifier.verify(dir, false);
        assertThat(again.checked()).isEqualTo(2);
        assertThat(again.failures()).isEmpty();
        assertThat(Quarantine.of(dir).restore().restored()).hasSize(5);
        assertThat(ImageFiles.find(dir)).hasSize(7);
    }

    @Test
    void aDryRunMovesNothing() throws IOException {
        dataset();
        VerifyReport report = Verifier.standard().verify(dir, true);
        assertThat(report.checked()).isEqualTo(7);
        assertThat(report.failures()).hasSize(4);
        assertThat(report.failures()).allSatisfy(f -> {
            assertThat(f.file()).exists();
            assertThat(f.quarantined()).isEmpty();
        });
        assertThat(dir.resolve(".quarantine")).doesNotExist();
    }
}
