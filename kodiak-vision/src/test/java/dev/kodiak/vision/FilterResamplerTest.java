package dev.kodiak.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.testing.PythonTorch;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterResamplerTest {
    @TempDir
    Path dir;

    /**
     * Pillow (through torchvision's {@code Resize}, as ImageNet weights are evaluated) against Kodiak on the same
     * PNG: shrinking by a non-integer factor, enlarging, and one axis only, for every filter. Pillow's arithmetic is
     * fixed point on 8-bit values, so the same algorithm gives the same bytes.
     */
    @Test
    void everyFilterGivesPillowsBytes() throws Exception {
        int w = 211;
        int h = 157;
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random rng = new Random(3);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) { // edges, gradients and noise: negative lobes must clip
                int r = (x / 13 + y / 11) % 2 == 0 ? 250 : 5;
                int g = (x * 255 / w + rng.nextInt(40)) & 0xFF;
                int b = (y * 255 / h) ^ (rng.nextInt(2) * 255);
                png.setRGB(x, y, (r << 16) | (g << 8) | (b & 0xFF));
            }
        }
        ImageIO.write(png, "png", dir.resolve("in.png").toFile());
        RgbImage image = ImageDecoder.fromBufferedImage(png);
        int[][] sizes = {{96, 71}, {400, 333}, {w, 90}, {64, h}, {300, 40}};
        PythonTorch.assumeAvailable();
        PythonTorch.run(dir, """
                import torchvision.transforms as T
                from PIL import Image
                im = Image.open('in.png').convert('RGB')
                for f in ['nearest', 'box', 'bilinear', 'hamming', 'bicubic', 'lanczos']:
                    mode = getattr(T.InterpolationMode, f.upper())
                    for w, h in [(96, 71), (400, 333), (211, 90), (64, 157), (300, 40)]:
                        out = T.Resize((h, w), interpolation=mode)(im)
                        open(f'{f}-{w}x{h}.raw', 'wb').write(out.tobytes())
                """);
        for (FilterResampler.Filter f : FilterResampler.Filter.values()) {
            for (int[] size : sizes) {
                byte[] pillow = Files.readAllBytes(dir.resolve(f + "-" + size[0] + "x" + size[1] + ".raw"));
                RgbImage kodiak = FilterResampler.resize(image, size[0], size[1], f);
                assertThat(kodiak.width()).isEqualTo(size[0]);
                assertThat(kodiak.pixels()).as("%s to %dx%d", f, size[0], size[1]).isEqualTo(pillow);
            }
        }
    }

    @Test
    void flatColoursStayFlatAndTheSameSizeIsACopy() {
        byte[] px = new byte[40 * 30 * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) 200;
            px[i + 1] = 17;
            px[i + 2] = (byte) 255;
        }
        RgbImage flat = new RgbImage(40, 30, px);
        for (FilterResampler.Filter f : FilterResampler.Filter.values()) {
            RgbImage out = FilterResampler.resize(flat, 13, 77, f);
            for (int i = 0; i < out.pixels().length; i += 3) {
                assertThat(new int[] {out.pixels()[i] & 0xFF, out.pixels()[i + 1] & 0xFF, out.pixels()[i + 2] & 0xFF})
                        .as("%s", f).containsExactly(200, 17, 255);
            }
        }
        RgbImage same = FilterResampler.resize(flat, 40, 30, FilterResampler.Filter.BICUBIC);
        assertThat(same.pixels()).isEqualTo(px).isNotSameAs(px);
    }

    @Test
    void unknownFiltersAndEmptySizesAreRefused() {
        assertThat(FilterResampler.Filter.of("BICUBIC")).isEqualTo(FilterResampler.Filter.BICUBIC);
        assertThatThrownBy(() -> FilterResampler.Filter.of("mitchell")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("'mitchell'").hasMessageContaining("bicubic");
        RgbImage one = new RgbImage(1, 1, new byte[3]);
        assertThatThrownBy(() -> FilterResampler.resize(one, 0, 5, FilterResampler.Filter.BILINEAR))
                .isInstanceOf(KodiakException.class).hasMessageContaining("0x5");
    }
}
