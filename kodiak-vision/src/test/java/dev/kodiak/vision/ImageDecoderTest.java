package dev.kodiak.vision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.kodiak.vision.TestImages.BLUE;
import static dev.kodiak.vision.TestImages.GREEN;
import static dev.kodiak.vision.TestImages.RED;
import static dev.kodiak.vision.TestImages.WHITE;
import static dev.kodiak.vision.TestImages.near;
import static dev.kodiak.vision.TestImages.rgb;
import static org.assertj.core.api.Assertions.assertThat;

class ImageDecoderTest {
    private final ImageDecoder decoder = ImageDecoder.standard();

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    private static void assertQuadrants(RgbImage image, int w, int h, int tolerance) {
        assertThat(image.width()).isEqualTo(w);
        assertThat(image.height()).isEqualTo(h);
        assertThat(near(image, 3, 3, RED, tolerance)).as("top-left red, got %06X", rgb(image, 3, 3)).isTrue();
        assertThat(near(image, w - 4, 3, GREEN, tolerance)).as("top-right green, got %06X", rgb(image, w - 4, 3))
                .isTrue();
        assertThat(near(image, 3, h - 4, BLUE, tolerance)).as("bottom-left blue").isTrue();
        assertThat(near(image, w - 4, h - 4, WHITE, tolerance)).as("bottom-right white").isTrue();
    }

    @Test
    void decodesBaselineAndProgressiveJpeg() throws IOException {
        BufferedImage source = TestImages.quadrants(48, 32);
        assertQuadrants(decoder.decode(write("a.jpg", TestImages.jpeg(source, false))), 48, 32, 40);
        byte[] progressive = TestImages.jpeg(source, true);
        assertThat(containsMarker(progressive, 0xC2)).as("SOF2 (progressive) marker present").isTrue();
        assertQuadrants(decoder.decode(write("p.jpg", progressive)), 48, 32, 40);
    }

    @Test
    void grayscaleJpegBecomesRgbWithEqualChannels() throws IOException {
        BufferedImage gray = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 32, 32, 0, filled(32 * 32, 100));
        RgbImage image = decoder.decode(write("g.jpg", TestImages.jpeg(gray, false)));
        assertThat(image.get(10, 10, 0)).isBetween(98, 102);
        assertThat(image.get(10, 10, 1)).isEqualTo(image.get(10, 10, 0));
        assertThat(image.get(10, 10, 2)).isEqualTo(image.get(10, 10, 0));
    }

    /**
     * No ImageIO writer makes an Adobe CMYK JPEG directly, so the test writes the four inverted CMYK planes as a
     * 4-band raster (the JDK writer stores them untransformed) and inserts an Adobe APP14 segment (transform 0 =
     * CMYK), which is how Photoshop marks CMYK files.
     */
    @Test
    void decodesCmykJpeg() throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 32, 32, 4, null);
        int[] cmyk = {0, 255, 255, 0}; // pure red in CMYK
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                for (int c = 0; c < 4; c++) {
                    raster.setSample(x, y, c, 255 - cmyk[c]); // Adobe stores CMYK inverted
                }
            }
        }
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        RgbImage image = decoder.decode(write("cmyk.jpg", TestImages.insertAfterSoi(TestImages.jpeg(raster), adobe)));
        assertThat(image.width()).isEqualTo(32);
        assertThat(image.get(16, 16, 0)).isGreaterThan(200);
        assertThat(image.get(16, 16, 1)).isLessThan(60);
        assertThat(image.get(16, 16, 2)).isLessThan(60);
    }

    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
        // orientation, output width, height, top-left colour, top-right colour (source 48x32: R G / B W)
        "1, 48, 32, FF0000, 00FF00",
        "2, 48, 32, 00FF00, FF0000",
        "3, 48, 32, FFFFFF, 0000FF",
        "4, 48, 32, 0000FF, FFFFFF",
        "5, 32, 48, FF0000, 0000FF",
        "6, 32, 48, 0000FF, FF0000",
        "7, 32, 48, FFFFFF, 00FF00",
        "8, 32, 48, 00FF00, FFFFFF"})
    void appliesExifOrientation(int orientation, int w, int h, String topLeft, String topRight) throws IOException {
        byte[] jpeg = TestImages.insertAfterSoi(TestImages.jpeg(TestImages.quadrants(48, 32), false),
                TestImages.exifOrientationSegment(orientation));
        RgbImage image = decoder.decode(write("o" + orientation + ".jpg", jpeg));
        assertThat(image.width()).isEqualTo(w);
        assertThat(image.height()).isEqualTo(h);
        assertThat(near(image, 3, 3, Integer.parseInt(topLeft, 16), 40)).as("top-left %06X", rgb(image, 3, 3))
                .isTrue();
        assertThat(near(image, w - 4, 3, Integer.parseInt(topRight, 16), 40))
                .as("top-right %06X", rgb(image, w - 4, 3)).isTrue();
    }

    @Test
    void pngPaletteColoursAreExactAndTransparentEntriesWhite() throws IOException {
        byte[] r = {10, (byte) 200, 0};
        byte[] g = {20, 100, 0};
        byte[] b = {30, 50, 0};
        byte[] a = {(byte) 255, (byte) 255, 0};
        for (int bits : new int[] {8, 2}) {
            IndexColorModel palette = new IndexColorModel(bits, 3, r, g, b, a);
            BufferedImage image = bits == 8
                    ? new BufferedImage(6, 2, BufferedImage.TYPE_BYTE_INDEXED, palette)
                    : new BufferedImage(6, 2, BufferedImage.TYPE_BYTE_BINARY, palette);
            for (int x = 0; x < 6; x++) {
                image.getRaster().setSample(x, 0, 0, x / 2);
                image.getRaster().setSample(x, 1, 0, 2 - x / 2);
            }
            RgbImage decoded = decoder.decode(write("pal" + bits + ".png", TestImages.encode(image, "png")));
            assertThat(rgb(decoded, 0, 0)).isEqualTo(0x0A141E);
            assertThat(rgb(decoded, 3, 0)).isEqualTo(0xC86432);
            assertThat(rgb(decoded, 5, 0)).isEqualTo(WHITE);
            assertThat(rgb(decoded, 0, 1)).isEqualTo(WHITE);
        }
    }

    @Test
    void sixteenBitPngsKeepTheHighByte() throws IOException {
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(4, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                raster.setPixel(x, y, new int[] {0xABCD, 0x1234, 0xFFFF});
            }
        }
        RgbImage rgb16 = decoder.decode(write("rgb16.png",
                TestImages.encode(new BufferedImage(model, raster, false, null), "png")));
        assertThat(rgb(rgb16, 2, 2)).isEqualTo(0xAB12FF);

        BufferedImage gray16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        gray16.getRaster().setSamples(0, 0, 4, 4, 0, filled(16, 0x8080));
        assertThat(rgb(decoder.decode(write("gray16.png", TestImages.encode(gray16, "png"))), 1, 1))
                .isEqualTo(0x808080);
    }

    @Test
    void eightBitGrayPngKeepsItsValues() throws IOException {
        BufferedImage gray = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSamples(0, 0, 4, 4, 0, filled(16, 100));
        assertThat(rgb(decoder.decode(write("gray.png", TestImages.encode(gray, "png"))), 3, 3)).isEqualTo(0x646464);
    }

    @Test
    void pngAlphaIsFlattenedOnWhite() throws IOException {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFF102030); // opaque
        image.setRGB(1, 0, 0x00000000); // fully transparent black
        image.setRGB(2, 0, 0x80FF0000); // half-transparent red
        RgbImage decoded = decoder.decode(write("alpha.png", TestImages.encode(image, "png")));
        assertThat(rgb(decoded, 0, 0)).isEqualTo(0x102030);
        assertThat(rgb(decoded, 1, 0)).isEqualTo(WHITE);
        assertThat(rgb(decoded, 2, 0)).isEqualTo(0xFF7F7F); // 255·(127/255) of white shows through
    }

    @Test
    void gifGivesItsFirstFrame() throws IOException {
        BufferedImage first = TestImages.quadrants(16, 16);
        BufferedImage second = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                second.setRGB(x, y, 0x123456);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(first, null, null), null);
            writer.writeToSequence(new IIOImage(second, null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        RgbImage image = decoder.decode(write("anim.gif", bytes.toByteArray()));
        assertThat(rgb(image, 0, 0)).isEqualTo(RED);
        assertThat(rgb(image, 15, 0)).isEqualTo(GREEN);
        assertThat(rgb(image, 0, 15)).isEqualTo(BLUE);
    }

    @Test
    void decodesBmpExactly() throws IOException {
        RgbImage image = decoder.decode(write("q.bmp", TestImages.encode(TestImages.quadrants(16, 12), "bmp")));
        assertQuadrants(image, 16, 12, 0);
    }

    @Test
    void decodesLosslessAndLossyWebp() throws IOException {
        RgbImage lossless = decoder.decode(resource("lossless-alpha.webp"), "lossless-alpha.webp");
        assertThat(lossless.width()).isEqualTo(32);
        assertThat(lossless.height()).isEqualTo(24);
        assertThat(rgb(lossless, 0, 0)).isEqualTo(RED);
        assertThat(rgb(lossless, 20, 0)).isEqualTo(BLUE);
        assertThat(rgb(lossless, 28, 20)).isEqualTo(WHITE); // transparent corner over white
        assertThat(rgb(lossless, 20, 20)).isEqualTo(BLUE);

        RgbImage lossy = decoder.decode(resource("lossy.webp"), "lossy.webp");
        assertThat(near(lossy, 4, 12, RED, 40)).isTrue();
        assertThat(near(lossy, 27, 12, BLUE, 40)).isTrue();

        RgbImage lossyAlpha = decoder.decode(resource("lossy-alpha.webp"), "lossy-alpha.webp");
        assertThat(near(lossyAlpha, 28, 20, WHITE, 10)).as("%06X", rgb(lossyAlpha, 28, 20)).isTrue();
        assertThat(near(lossyAlpha, 20, 4, BLUE, 40)).isTrue();
    }

    @Test
    void formatComesFromTheBytesNotTheName() throws IOException {
        Path pngNamedJpg = write("really-a-png.jpg", TestImages.encode(TestImages.quadrants(8, 8), "png"));
        assertQuadrants(decoder.decode(pngNamedJpg), 8, 8, 0);
        assertThat(ImageFormat.detect(Files.readAllBytes(pngNamedJpg))).contains(ImageFormat.PNG);
    }

    @Test
    void decodesFromStreamsAndArraysAlike() throws IOException {
        byte[] png = TestImages.encode(TestImages.quadrants(8, 8), "png");
        RgbImage fromArray = decoder.decode(png, "x.png");
        RgbImage fromStream = decoder.decode(new ByteArrayInputStream(png), "x.png");
        assertThat(fromStream.pixels()).isEqualTo(fromArray.pixels());
    }

    @Test
    void jpegWithDataAfterTheEndMarkerIsFine() throws IOException {
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(32, 32), false);
        byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 100); // zeros after EOI, as some cameras write
        assertQuadrants(decoder.decode(write("padded.jpg", padded)), 32, 32, 40);
    }

    @Test
    void isThreadSafe() throws Exception {
        byte[] jpeg = TestImages.jpeg(TestImages.noise(64, 48, 1), false);
        byte[] expected = decoder.decode(jpeg, "n.jpg").pixels();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<byte[]>>();
            for (int i = 0; i < 40; i++) {
                futures.add(pool.submit(() -> decoder.decode(jpeg, "n.jpg").pixels()));
            }
            for (var f : futures) {
                assertThat(f.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream("webp/" + name)) {
            assertThat(in).as("test resource webp/" + name).isNotNull();
            return in.readAllBytes();
        }
    }

    static int[] filled(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    private static boolean containsMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return true;
            }
        }
        return false;
    }
}
