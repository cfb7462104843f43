package dev.kodiak.vision;

import dev.kodiak.vision.ImageDecodeException.Reason;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The libjpeg-turbo fast path: which JPEGs take it, that its pixels are ImageIO's, and that it is as strict. */
class TurboJpegTest {
    private final ImageDecoder decoder = ImageDecoder.standard();

    /** Smooth gradients in all three channels, so that chroma upsampling and the IDCT both matter. */
    private static BufferedImage smooth(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | (128 + x - y));
            }
        }
        return image;
    }

    private static RgbImage viaImageIo(byte[] jpeg) throws IOException {
        return PixelConversion.toRgb(ImageIO.read(new ByteArrayInputStream(jpeg)));
    }

    private static void assertFastPathMatchesImageIo(byte[] jpeg, int width, int height) throws IOException {
        assertThat(TurboJpeg.handles(JpegStructure.of(jpeg).frame())).as("routed to libjpeg-turbo").isTrue();
        RgbImage fast = TurboJpeg.decode(jpeg);
        assertThat(fast).as("libjpeg-turbo decoded it").isNotNull();
        assertThat(fast.width()).isEqualTo(width);
        assertThat(fast.height()).isEqualTo(height);
        // Measured: libjpeg-turbo's default (accurate integer) IDCT and smooth upsampling give the same bytes as the
        // JDK's libjpeg 6b on these files and on 512 photo-like 500x375 JPEGs, so the bound is exact.
        assertThat(fast.pixels()).isEqualTo(viaImageIo(jpeg).pixels());
    }

    @Test
    void baselineJpegTakesTheFastPathWithImageIosPixels() throws IOException {
        assertFastPathMatchesImageIo(TestImages.jpeg(smooth(64, 48), false), 64, 48);
    }

    /** 61 wide: not a multiple of the four pixels written at once, nor of the 8 or 16 pixel blocks. */
    @Test
    void oddSizedNoisyJpegTakesTheFastPathWithImageIosPixels() throws IOException {
        assertFastPathMatchesImageIo(TestImages.jpeg(TestImages.noise(61, 37, 4), false), 61, 37);
    }

    @Test
    void progressiveJpegTakesTheFastPathWithImageIosPixels() throws IOException {
        byte[] jpeg = TestImages.jpeg(smooth(64, 48), true);
        assertThat(JpegStructure.of(jpeg).frame().marker()).isEqualTo(0xC2);
        assertFastPathMatchesImageIo(jpeg, 64, 48);
    }

    @Test
    void grayscaleJpegTakesTheFastPathWithEqualChannels() throws IOException {
        BufferedImage gray = new BufferedImage(37, 20, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 37; x++) {
                gray.getRaster().setSample(x, y, 0, x * 6 + y);
            }
        }
        byte[] jpeg = TestImages.jpeg(gray, false);
        assertThat(JpegStructure.of(jpeg).frame().components()).isEqualTo(1);
        assertFastPathMatchesImageIo(jpeg, 37, 20);
        RgbImage fast = TurboJpeg.decode(jpeg);
        for (int i = 0; i < fast.pixels().length; i += 3) {
            assertThat(fast.pixels()[i + 1]).isEqualTo(fast.pixels()[i]);
            assertThat(fast.pixels()[i + 2]).isEqualTo(fast.pixels()[i]);
        }
        assertThat(fast.get(36, 19, 0)).isBetween(36 * 6 + 19 - 3, 36 * 6 + 19 + 3);
    }

    /**
     * The file says its RGB is linear, not sRGB. ImageIO converts through the profile; libjpeg-turbo, like PIL,
     * ignores it. So the decoder's result being libjpeg-turbo's, not ImageIO's, shows it took the fast path.
     */
    @Test
    void decoderUsesTheFastPathAndIgnoresIccProfilesLikePil() throws IOException {
        byte[] plain = TestImages.jpeg(smooth(32, 32), false);
        byte[] tagged = TestImages.insertAfterSoi(plain, iccSegment(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB)));
        RgbImage decoded = decoder.decode(tagged, "linear.jpg");
        assertThat(decoded.pixels()).isEqualTo(TurboJpeg.decode(plain).pixels());
        assertThat(decoded.pixels()).isNotEqualTo(viaImageIo(tagged).pixels());
    }

    /** Half the scan data missing but an end marker present: libjpeg warns, so the fast path gives nothing. */
    @Test
    void damagedJpegGivesNothingAndTheDecoderStillSaysWhy() {
        byte[] jpeg = TestImages.jpeg(TestImages.noise(64, 64, 8), false);
        byte[] damaged = Arrays.copyOf(jpeg, jpeg.length / 2 + 2);
        damaged[damaged.length - 2] = (byte) 0xFF;
        damaged[damaged.length - 1] = (byte) 0xD9;
        assertThat(TurboJpeg.handles(JpegStructure.of(damaged).frame())).isTrue();
        assertThat(TurboJpeg.decode(damaged)).isNull();
        ImageDecodeException e = catchThrowableOfType(ImageDecodeException.class,
                () -> decoder.decode(damaged, "grey.jpg"));
        assertThat(e.reason()).isEqualTo(Reason.UNREADABLE);
        assertThat(e.getMessage()).isEqualTo("cannot read image grey.jpg: the JPEG data is corrupt (Corrupt JPEG data: "
                + "premature end of data segment); part of the image would be grey");
    }

    @Test
    void garbageGivesNothing() {
        assertThat(TurboJpeg.decode(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3})).isNull();
    }

    /** Four components (CMYK/YCCK) need ImageIO's colour conversion. */
    @Test
    void cmykJpegIsNotRoutedToTheFastPath() {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        byte[] jpeg = TestImages.jpeg(raster);
        JpegStructure.Frame frame = JpegStructure.of(jpeg).frame();
        assertThat(frame.components()).isEqualTo(4);
        assertThat(TurboJpeg.handles(frame)).isFalse();
    }

    @Test
    void onlyEightBitHuffmanFramesWithOneOrThreeComponentsAreRouted() {
        assertThat(TurboJpeg.handles(new JpegStructure.Frame(0xC0, 8, 10, 10, 3))).isTrue();
        assertThat(TurboJpeg.handles(new JpegStructure.Frame(0xC1, 8, 10, 10, 1))).isTrue();
        assertThat(TurboJpeg.handles(new JpegStructure.Frame(0xC2, 8, 10, 10, 3))).isTrue();
        assertThat(TurboJpeg.handles(new JpegStructure.Frame(0xC1, 12, 10, 10, 3))).as("12-bit").isFalse();
        assertThat(TurboJpeg.handles(new JpegStructure.Frame(0xC3, 8, 10, 10, 3))).as("lossless").isFalse();
        assertThat(TurboJpeg.handles(new JpegStructure.Frame(0xC9, 8, 10, 10, 3))).as("arithmetic").isFalse();
        assertThat(TurboJpeg.handles(new JpegStructure.Frame(0xC0, 8, 10, 10, 2))).as("two components").isFalse();
        assertThat(TurboJpeg.handles(new JpegStructure.Frame(0xC0, 8, 0, 10, 3))).as("height from DNL").isFalse();
        assertThat(TurboJpeg.handles(null)).isFalse();
    }

    @Test
    void frameHeaderIsRead() {
        byte[] jpeg = TestImages.jpeg(smooth(48, 32), false);
        assertThat(JpegStructure.of(jpeg).frame()).isEqualTo(new JpegStructure.Frame(0xC0, 8, 32, 48, 3));
    }

    /**
     * A frame header claiming 60000x60000 behind a quantization table ImageIO refuses before it reaches the frame
     * header: refused as too large all the same, so the limit is checked from the header Kodiak reads itself,
     * before ImageIO or libjpeg-turbo see the file. The same file claiming 16x16 shows what ImageIO makes of it.
     */
    @Test
    void bombIsRefusedFromTheFrameHeaderBeforeAnyDecoder() {
        ImageDecodeException e = catchThrowableOfType(ImageDecodeException.class,
                () -> decoder.decode(headerOnly(60_000), "b.jpg"));
        assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
        assertThat(e.detail()).isEqualTo("the image is 60,000x60,000 pixels (3,600.0 megapixels), over the limit of "
                + "100.0 megapixels (a decompression bomb?); raise DecodeLimits.maxPixels to read it");
        ImageDecodeException small = catchThrowableOfType(ImageDecodeException.class,
                () -> decoder.decode(headerOnly(16), "s.jpg"));
        assertThat(small.reason()).isEqualTo(Reason.UNREADABLE);
        assertThat(small.detail()).isEqualTo("the JPEG data is corrupt (Unexpected JPEG Quantization Table Id (> 3): 7)");
    }

    /** SOI, a DQT segment naming table 7 (there are 0-3), a frame header for size x size, a scan, EOI. */
    private static byte[] headerOnly(int size) {
        byte hi = (byte) (size >> 8);
        byte lo = (byte) size;
        return new byte[] {
            (byte) 0xFF, (byte) 0xD8,                                     // SOI
            (byte) 0xFF, (byte) 0xDB, 0, 3, 7,                            // DQT: table 7, no values
            (byte) 0xFF, (byte) 0xC0, 0, 17, 8, hi, lo, hi, lo, 3,        // SOF0: 8-bit, size lines of size, 3 comps
            1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,                           // component specs
            (byte) 0xFF, (byte) 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0, // SOS
            0x12, 0x34, (byte) 0xFF, (byte) 0xD9};                        // two bytes of data, EOI
    }

    /** An APP2 segment carrying a whole ICC profile in one chunk. */
    private static byte[] iccSegment(ICC_Profile profile) throws IOException {
        byte[] data = profile.getData();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = 2 + 12 + 2 + data.length;
        out.write(new byte[] {(byte) 0xFF, (byte) 0xE2, (byte) (length >> 8), (byte) length});
        out.write("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[] {1, 1});
        out.write(data);
        return out.toByteArray();
    }
}
