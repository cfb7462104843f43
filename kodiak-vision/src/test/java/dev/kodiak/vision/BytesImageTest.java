package dev.kodiak.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.vision.ImageDecodeException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BytesImageTest {
    @TempDir
    Path dir;

    @Test
    void theWidthFollowsNatarajsTableWithLowerBoundsInTheirRow() {
        long kb = 1024;
        assertThat(BytesImage.widthFor(1)).isEqualTo(32);
        assertThat(BytesImage.widthFor(10 * kb - 1)).isEqualTo(32);
        assertThat(BytesImage.widthFor(10 * kb)).isEqualTo(64);
        assertThat(BytesImage.widthFor(30 * kb - 1)).isEqualTo(64);
        assertThat(BytesImage.widthFor(30 * kb)).isEqualTo(128);
        assertThat(BytesImage.widthFor(60 * kb)).isEqualTo(256);
        assertThat(BytesImage.widthFor(100 * kb - 1)).isEqualTo(256);
        assertThat(BytesImage.widthFor(100 * kb)).isEqualTo(384);
        assertThat(BytesImage.widthFor(200 * kb)).isEqualTo(512);
        assertThat(BytesImage.widthFor(500 * kb)).isEqualTo(768);
        assertThat(BytesImage.widthFor(1000 * kb - 1)).isEqualTo(768);
        assertThat(BytesImage.widthFor(1000 * kb)).isEqualTo(1024);
        assertThat(BytesImage.widthFor(50_000 * kb)).isEqualTo(1024);
    }

    @Test
    void bytesAreRowsOfPixelsAndTheLastRowIsZeroPadded() throws IOException {
        byte[] bytes = new byte[70];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (200 + i); // 200..255 then wraps to 0..13: unsigned values come back unsigned
        }
        BytesImage image = BytesImage.read(Files.write(dir.resolve("program.exe"), bytes));

        assertThat(image.width()).isEqualTo(32);
        assertThat(image.height()).isEqualTo(3); // ceil(70 / 32)
        assertThat(image.get(0, 0)).isEqualTo(200);
        assertThat(image.get(31, 0)).isEqualTo(231);
        assertThat(image.get(0, 1)).isEqualTo(232);
        assertThat(image.get(23, 1)).isEqualTo(255);
        assertThat(image.get(24, 1)).isEqualTo(0);
        assertThat(image.get(5, 2)).isEqualTo((200 + 69) & 0xFF);
        assertThat(image.get(6, 2)).isZero();
        assertThat(image.get(31, 2)).isZero();
        RgbImage rgb = image.toRgb();
        assertThat(rgb.width()).isEqualTo(32);
        assertThat(rgb.height()).isEqualTo(3);
        assertThat(new int[] {rgb.get(31, 0, 0), rgb.get(31, 0, 1), rgb.get(31, 0, 2)}).containsOnly(231);
    }

    @Test
    void aLargerFileGetsAWiderPictureWithExactRows() {
        byte[] bytes = new byte[64 * 1024 + 1]; // 64 KB + 1: width 256, 257 rows
        bytes[bytes.length - 1] = 7;
        BytesImage image = BytesImage.of(bytes, "big.bin");
        assertThat(image.width()).isEqualTo(256);
        assertThat(image.height()).isEqualTo(257);
        assertThat(image.get(0, 256)).isEqualTo(7);
        assertThat(image.get(1, 256)).isZero();
    }

    @Test
    void emptyFilesAndFilesOverTheLimitAreRefusedWithAReason() throws IOException {
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThatThrownBy(() -> BytesImage.read(empty)).isInstanceOfSatisfying(ImageDecodeException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.ZERO_BYTES));
        Path big = Files.write(dir.resolve("big.dll"), new byte[5000]);
        assertThatThrownBy(() -> BytesImage.read(big, 4096)).isInstanceOfSatisfying(ImageDecodeException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
            assertThat(e.getMessage()).contains(big.toString()).contains("5,000 bytes").contains("4,096");
        });
        assertThat(BytesImage.read(big, 5000).height()).isEqualTo(157); // ceil(5000 / 32)
        assertThatThrownBy(() -> BytesImage.read(dir)).isInstanceOfSatisfying(ImageDecodeException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNREADABLE));
    }

    @Test
    void everyRegularFileIsFoundWhateverItsNameButHiddenOnesAreNot() throws IOException {
        Files.createDirectories(dir.resolve("malware/.quarantine"));
        Files.createDirectories(dir.resolve("benign"));
        Files.write(dir.resolve("benign/ls"), new byte[] {1});
        Files.write(dir.resolve("benign/libc.so.6"), new byte[] {1});
        Files.write(dir.resolve("malware/x.EXE"), new byte[] {1});
        Files.write(dir.resolve("malware/.hidden"), new byte[] {1});
        Files.write(dir.resolve("malware/.quarantine/bad"), new byte[] {1});
        assertThat(BytesFiles.find(dir)).containsExactly(dir.resolve("benign/libc.so.6"), dir.resolve("benign/ls"),
                dir.resolve("malware/x.EXE"));
    }
}
