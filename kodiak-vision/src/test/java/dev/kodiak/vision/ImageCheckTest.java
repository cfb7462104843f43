package dev.kodiak.vision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.io.Quarantine;
import dev.kodiak.io.QuarantineEntry;
import dev.kodiak.io.Verifier;
import dev.kodiak.io.VerifyReport;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCheckTest {
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
        Verifier verifier = Verifier.of(2,
                ImageCheck.of(ImageDecoder.withLimits(DecodeLimits.DEFAULT.withMaxPixels(39 * 39))));
        VerifyReport report = verifier.verify(dir, false);

        assertThat(report.checked()).isEqualTo(7);
        assertThat(report.ok()).isEqualTo(2);
        assertThat(report.dryRun()).isFalse();
        assertThat(report.failures()).extracting(f -> dir.relativize(f.file()).toString(),
                        VerifyReport.Failure::reasonCode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a/truncated.jpg", "truncated"),
                        org.assertj.core.groups.Tuple.tuple("b/big.png", "too_large"),
                        org.assertj.core.groups.Tuple.tuple("b/empty.jpg", "zero_bytes"),
                        org.assertj.core.groups.Tuple.tuple("b/page.jpg", "not_an_image"),
                        org.assertj.core.groups.Tuple.tuple("b/tiff.png", "unsupported_format"));
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
        VerifyReport report = Verifier.of(ImageCheck.standard()).verify(dir, true);
        assertThat(report.checked()).isEqualTo(7);
        assertThat(report.failures()).hasSize(4);
        assertThat(report.failures()).allSatisfy(f -> {
            assertThat(f.file()).exists();
            assertThat(f.quarantined()).isEmpty();
        });
        assertThat(dir.resolve(".quarantine")).doesNotExist();
    }

    @Test
    void imageFilesInFormatsKodiakDoesNotReadAreQuarantinedAsUnsupportedButOtherFilesAreNot() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.write(dir.resolve("a/good.png"), TestImages.encode(TestImages.quadrants(32, 32), "png"));
        Files.write(dir.resolve("a/scan.tif"), new byte[] {'I', 'I', '*', 0, 8, 0, 0, 0, 0, 0, 0, 0});
        Files.write(dir.resolve("a/scan2.TIFF"), new byte[] {'M', 'M', 0, '*', 0, 0, 0, 8, 0, 0, 0, 0});
        Files.writeString(dir.resolve("a/logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>");
        Files.write(dir.resolve("a/photo.jp2"), new byte[] {0, 0, 0, 12, 'j', 'P', ' ', ' ', '\r', '\n', (byte) 0x87, '\n'});
        Files.write(dir.resolve("a/phone.heic"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0});
        Files.write(dir.resolve("a/new.avif"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0, 0, 0});
        // a readable image under a name training skips
        Files.write(dir.resolve("a/renamed.tiff"), TestImages.encode(TestImages.quadrants(32, 32), "png"));
        Files.writeString(dir.resolve("sources.csv"), "file,url\n");
        Files.writeString(dir.resolve("a/labels.csv"), "file,label\n");
        Files.writeString(dir.resolve("README"), "read me");
        Files.writeString(dir.resolve("a/notes.txt"), "notes");

        VerifyReport report = Verifier.of(2, ImageCheck.standard()).verify(dir, false);

        assertThat(report.checked()).isEqualTo(8);
        assertThat(report.ok()).isEqualTo(1);
        assertThat(report.failures()).extracting(f -> f.file().getFileName().toString())
                .containsExactly("logo.svg", "new.avif", "phone.heic", "photo.jp2", "renamed.tiff", "scan.tif",
                        "scan2.TIFF");
        assertThat(report.failures()).allSatisfy(f -> {
            assertThat(f.reasonCode()).isEqualTo("unsupported_format");
            assertThat(f.quarantinedTo()).exists();
        });
        assertThat(report.failures().get(0).message()).contains("SVG");
        assertThat(report.failures().get(4).message()).contains("training skips files named .tiff");
        assertThat(dir.resolve("sources.csv")).exists();
        assertThat(dir.resolve("a/labels.csv")).exists();
        assertThat(dir.resolve("README")).exists();
        assertThat(dir.resolve("a/notes.txt")).exists();
        assertThat(Quarantine.of(dir).entries()).hasSize(7)
                .allSatisfy(e -> assertThat(e.reason()).startsWith("unsupported_format: "));
    }

    @Test
    void linksToFilesOutsideTheFolderAreSkippedNeitherReadNorMoved(@TempDir Path elsewhere) throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Path secret = Files.writeString(elsewhere.resolve("secret.jpg"), "not an image at all");
        Files.createSymbolicLink(dir.resolve("a/link.jpg"), secret);
        Files.write(dir.resolve("a/good.png"), TestImages.encode(TestImages.quadrants(32, 32), "png"));
        Files.createSymbolicLink(dir.resolve("a/alias.png"), dir.resolve("a/good.png"));

        VerifyReport report = Verifier.of(ImageCheck.standard()).verify(dir, false);

        assertThat(report.checked()).isEqualTo(2);
        assertThat(report.failures()).isEmpty();
        assertThat(report.skipped()).singleElement().satisfies(k -> {
            assertThat(k.file()).isEqualTo(dir.resolve("a/link.jpg"));
            assertThat(k.why()).contains("outside").contains("left alone");
        });
        assertThat(Files.isSymbolicLink(dir.resolve("a/link.jpg"))).isTrue();
        assertThat(dir.resolve(".quarantine")).doesNotExist();
    }
}
