package dev.kodiak.vision;

import dev.kodiak.vision.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Files from the web that must be refused, each with the right reason and the file named in the message. */
class ImageDecoderErrorsTest {
    private final ImageDecoder decoder = ImageDecoder.standard();

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    private ImageDecodeException failure(Path file) {
        ImageDecodeException e = catchThrowableOfType(ImageDecodeException.class, () -> decoder.decode(file));
        assertThat(e).as("decoding %s must fail", file).isNotNull();
        assertThat(e.getMessage()).startsWith("cannot read image " + file + ": ");
        assertThat(e.path()).contains(file);
        return e;
    }

    @Test
    void aFifoAndALinkToDevZeroAreRefusedWithoutReadingThem() throws Exception {
        Path fifo = dir.resolve("pipe.jpg");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path zero = Files.createSymbolicLink(dir.resolve("zero.jpg"), Path.of("/dev/zero"));
        // a bound on the time only to fail (not hang) without the fix: opening a FIFO blocks, /dev/zero never ends
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            for (Path p : new Path[] {fifo, zero}) {
                ImageDecodeException e = failure(p);
                assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
                assertThat(e.getMessage()).endsWith("it is not a regular file (a pipe, device or socket), so it is "
                        + "not read");
            }
        });
    }

    @Test
    void emptyFile() throws IOException {
        ImageDecodeException e = failure(write("bears/black/empty.jpg", new byte[0]));
        assertThat(e.reason()).isEqualTo(Reason.ZERO_BYTES);
        assertThat(e.detail()).contains("empty");
    }

    @Test
    void jpegCutAtSixtyPercent() throws IOException {
        byte[] jpeg = TestImages.jpeg(TestImages.noise(64, 64, 7), false);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length * 6 / 10);
        Path file = write("bears/black/00042.jpg", cut);
        ImageDecodeException e = failure(file);
        assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(e.getMessage()).isEqualTo(String.format(Locale.ROOT,
                "cannot read image %s: the file ends after %,d bytes (truncated download?)", file, cut.length));
        assertThat(cut.length).isGreaterThan(1000); // so the message really shows a thousands separator
        assertThat(e.getMessage()).contains(",");
    }

    @Test
    void jpegMissingOnlyItsEndMarker() throws IOException {
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(32, 32), false);
        assertThat(failure(write("cut.jpg", Arrays.copyOf(jpeg, jpeg.length - 2))).reason())
                .isEqualTo(Reason.TRUNCATED);
    }

    /** Half the scan data missing but an end marker present: the reader would fill the rest with grey. */
    @Test
    void jpegWithMissingScanDataButAnEndMarker() throws IOException {
        byte[] jpeg = TestImages.jpeg(TestImages.noise(64, 64, 8), false);
        byte[] damaged = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        damaged[damaged.length - 2] = (byte) 0xFF;
        damaged[damaged.length - 1] = (byte) 0xD9;
        ImageDecodeException e = failure(write("grey.jpg", damaged));
        assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
        assertThat(e.detail()).startsWith("the JPEG data is corrupt (").endsWith("part of the image would be grey");
    }

    @Test
    void progressiveJpegCutShort() throws IOException {
        byte[] jpeg = TestImages.jpeg(TestImages.noise(64, 64, 3), true);
        assertThat(failure(write("prog.jpg", Arrays.copyOf(jpeg, jpeg.length * 8 / 10))).reason())
                .isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void truncatedPngWebpGifAndBmp() throws IOException {
        byte[] png = TestImages.encode(TestImages.noise(64, 64, 5), "png");
        assertThat(failure(write("cut.png", Arrays.copyOf(png, png.length * 6 / 10))).reason())
                .isEqualTo(Reason.TRUNCATED);
        byte[] bmp = TestImages.encode(TestImages.noise(16, 16, 5), "bmp");
        assertThat(failure(write("cut.bmp", Arrays.copyOf(bmp, bmp.length - 10))).reason())
                .isEqualTo(Reason.TRUNCATED);
        byte[] gif = TestImages.encode(TestImages.noise(32, 32, 5), "gif");
        assertThat(failure(write("cut.gif", Arrays.copyOf(gif, gif.length / 2))).reason())
                .isEqualTo(Reason.TRUNCATED);
        byte[] webp;
        try (var in = getClass().getResourceAsStream("webp/lossy.webp")) {
            webp = in.readAllBytes();
        }
        assertThat(failure(write("cut.webp", Arrays.copyOf(webp, 60))).reason()).isEqualTo(Reason.TRUNCATED);
        assertThat(failure(write("stub.png", Arrays.copyOf(png, 5))).reason()).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void htmlSavedAsJpeg() throws IOException {
        String html = "<!DOCTYPE html>\n<html><head><title>403 Forbidden</title></head><body>nope</body></html>";
        ImageDecodeException e = failure(write("bears/grizzly/001.jpg", html.getBytes(StandardCharsets.UTF_8)));
        assertThat(e.reason()).isEqualTo(Reason.NOT_AN_IMAGE);
        assertThat(e.detail()).contains("looks like HTML");
    }

    @Test
    void textFile() throws IOException {
        ImageDecodeException e = failure(write("notes.png", "just some notes\nsecond line".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.reason()).isEqualTo(Reason.NOT_AN_IMAGE);
        assertThat(e.detail()).isEqualTo("it looks like text, not an image (it starts with \"just some notes\")");
    }

    @Test
    void jsonErrorResponse() throws IOException {
        ImageDecodeException e = failure(write("x.jpg", "{\"error\": \"rate limited\"}".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.reason()).isEqualTo(Reason.NOT_AN_IMAGE);
        assertThat(e.detail()).contains("JSON");
    }

    @Test
    void unknownBinary() throws IOException {
        ImageDecodeException e = failure(write("x.jpg", new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
            15, 16, 17, 18, 19}));
        assertThat(e.reason()).isEqualTo(Reason.NOT_AN_IMAGE);
        assertThat(e.detail()).endsWith("(it starts with bytes 00 01 02 03 04 05 06 07)");
    }

    @Test
    void tiffAndHeicAreUnsupportedImages() throws IOException {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        ImageDecodeException e = failure(write("scan.jpg", tiff));
        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
        assertThat(e.detail()).startsWith("it is a TIFF image");
        byte[] heic = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0, 'm', 'i', 'f', '1', 0, 0};
        assertThat(failure(write("phone.jpg", heic)).detail()).startsWith("it is a HEIC image");
        assertThat(failure(write("logo.png", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"
                .getBytes(StandardCharsets.UTF_8))).reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
    }

    /** A 60000x60000 PNG header with a 20-byte body: refused from the header, before 10 GB of pixels exist. */
    @Test
    void pngBombIsRefusedFromItsHeader() throws IOException {
        ImageDecodeException e = failure(write("bomb.png", pngBomb(60_000, 60_000)));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.detail()).startsWith("the image is 60,000x60,000 pixels (3,600.0 megapixels), over the limit "
                + "of 100.0 megapixels");
    }

    /** A real JPEG whose frame header is edited to claim 60000x60000. */
    @Test
    void jpegBombIsRefusedFromItsFrameHeader() throws IOException {
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(16, 16), false);
        int sof = 2;
        while (!((jpeg[sof] & 0xFF) == 0xFF && (jpeg[sof + 1] & 0xFF) == 0xC0)) {
            sof++;
        }
        ByteBuffer.wrap(jpeg, sof + 5, 4).putShort((short) 60_000).putShort((short) 60_000); // height, width
        ImageDecodeException e = failure(write("bomb.jpg", jpeg));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.detail()).startsWith("the image is 60,000x60,000 pixels");
    }

    @Test
    void limitsAreConfigurable() throws IOException {
        Path png = write("q.png", TestImages.encode(TestImages.quadrants(20, 10), "png"));
        ImageDecoder strict = ImageDecoder.withLimits(DecodeLimits.DEFAULT.withMaxPixels(199));
        assertThat(catchThrowableOfType(ImageDecodeException.class, () -> strict.decode(png)).reason())
                .isEqualTo(Reason.TOO_LARGE);
        assertThat(ImageDecoder.withLimits(DecodeLimits.DEFAULT.withMaxPixels(200)).decode(png).width()).isEqualTo(20);
        ImageDecoder small = ImageDecoder.withLimits(DecodeLimits.DEFAULT.withMaxFileBytes(10));
        ImageDecodeException e = catchThrowableOfType(ImageDecodeException.class, () -> small.decode(png));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.detail()).contains("over the limit of 10 bytes");
        assertThat(catchThrowableOfType(ImageDecodeException.class,
                () -> small.decode(Files.newInputStream(png), "upload.png")).reason()).isEqualTo(Reason.TOO_LARGE);
    }

    @Test
    void corruptPngHeader() throws IOException {
        byte[] png = TestImages.encode(TestImages.quadrants(8, 8), "png");
        png[24] = 3; // bit depth 3 does not exist
        ImageDecodeException e = failure(write("odd.png", png));
        assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
        assertThat(e.detail()).startsWith("the PNG data is corrupt (");
    }

    @Test
    void missingFile() {
        ImageDecodeException e = failure(dir.resolve("gone.jpg"));
        assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
        assertThat(e.detail()).isEqualTo("the file does not exist");
    }

    static byte[] pngBomb(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0).array());
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (var z = new DeflaterOutputStream(compressed)) {
            z.write(new byte[64]); // the start of the first row; the rest is "missing"
        }
        chunk(out, "IDAT", compressed.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
