package dev.kodiak.testing;

import dev.kodiak.data.InputBlock;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test input block that needs no image codec: a file is two bytes (width, height) followed by
 * width × height × 3 pixel bytes; a file starting with 'X' fails to load.
 */
public final class RawImageBlock implements InputBlock<RawImageBlock.Raw> {
    public record Raw(int width, int height, byte[] hwc) {
    }


    public static Path write(Path file, int width, int height, int seed) throws IOException {
        byte[] bytes = new byte[2 + width * height * 3];
        bytes[0] = (byte) width;
        bytes[1] = (byte) height;
        for (int i = 2; i < bytes.length; i++) {
            bytes[i] = (byte) ((seed * 31 + i * 7) & 0xFF);
        }
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return file;
    }

    @Override
    public Raw load(Path item) {
        try {
            byte[] b = Files.readAllBytes(item);
            if (b.length == 0 || b[0] == 'X') {
                throw new KodiakException("cannot read " + item + ": broken test file");
            }
            int w = b[0] & 0xFF;
            int h = b[1] & 0xFF;
            return new Raw(w, h, java.util.Arrays.copyOfRange(b, 2, 2 + w * h * 3));
        } catch (IOException e) {
            throw new KodiakException("cannot read " + item, e);
        }
    }

    @Override
    public int channels() {
        return 3;
    }

    @Override
    public int[] size(Raw sample) {
        return new int[] {sample.height(), sample.width()};
    }

    @Override
    public void writeHwc(Raw sample, ByteBuffer dest) {
        dest.put(sample.hwc());
    }

    @Override
    public Raw fromChw(float[] chw, int height, int width) {
        byte[] hwc = new byte[height * width * 3];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < height * width; i++) {
                hwc[i * 3 + c] = (byte) Math.round(chw[c * height * width + i] * 255);
            }
        }
        return new Raw(width, height, hwc);
    }

    @Override
    public void drawGrid(List<Raw> samples, List<String> captions, int columns, Path png) {
        try {
            Files.writeString(png, samples.size() + " " + String.join(",", captions));
        } catch (IOException e) {
            throw new KodiakException("cannot write " + png, e);
        }
    }

    public static List<Path> find(Path dir) {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".raw")).sorted().toList();
        } catch (IOException e) {
            throw new KodiakException("cannot list " + dir, e);
        }
    }
}
