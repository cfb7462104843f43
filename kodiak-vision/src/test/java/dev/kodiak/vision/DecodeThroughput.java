package dev.kodiak.vision;

import dev.kodiak.data.Rng;
import dev.kodiak.vision.transforms.Resize;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Not a test: prints how many 500x375 JPEGs per second one thread decodes and resizes to 128 px (crop), the data
 * loader's hot path. Run from kodiak-vision after {@code mvn test-compile}:
 * {@code java -cp target/classes:target/test-classes:<deps> dev.kodiak.vision.DecodeThroughput [seconds]}.
 */
public final class DecodeThroughput {
    private DecodeThroughput() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        Path dir = Files.createTempDirectory("kodiak-throughput");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Path file = dir.resolve(i + ".jpg");
            Images.writeJpeg(ImageDecoder.fromBufferedImage(photoLike(500, 375, i)), file, 0.9);
            files.add(file);
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf(Locale.ROOT, "%d JPEGs of 500x375, quality 0.9, %.0f KB on average%n", files.size(),
                bytes / 1024.0 / files.size());
        ImageDecoder decoder = ImageDecoder.standard();
        Resize resize = Resize.to(128);
        run("decode only", seconds / 2, files, f -> decoder.decode(f));
        run("decode + Resize(128, crop)", seconds, files, f -> resize.apply(decoder.decode(f), Rng.of(1, 0, f.hashCode()), true));
        run("decode + Resize(224, crop)", seconds, files,
                f -> Resize.to(224).apply(decoder.decode(f), Rng.of(1, 0, f.hashCode()), true));
        for (Path f : files) {
            Files.delete(f);
        }
        Files.delete(dir);
    }

    private interface Work {
        RgbImage apply(Path file) throws Exception;
    }

    private static void run(String label, double seconds, List<Path> files, Work work) throws Exception {
        for (int i = 0; i < 200; i++) { // warm-up: let the JIT compile the hot loops
            work.apply(files.get(i % files.size()));
        }
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int n = 0;
        while (System.nanoTime() < deadline) {
            work.apply(files.get(n++ % files.size()));
        }
        double rate = n / ((System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "%-28s %7.0f images/s (one thread, %d images)%n", label, rate, n);
    }

    /** Smooth shapes plus mild noise: compresses roughly like a photo (about 30-60 KB at quality 0.9). */
    private static BufferedImage photoLike(int w, int h, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        double fx = 0.01 + random.nextDouble() * 0.03;
        double fy = 0.01 + random.nextDouble() * 0.03;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (int) (128 + 100 * Math.sin(x * fx + y * fy)) + random.nextInt(24) - 12;
                int g = (int) (128 + 100 * Math.cos(x * fy - y * fx)) + random.nextInt(24) - 12;
                int b = (int) (128 + 80 * Math.sin((x + y) * 0.02 + seed)) + random.nextInt(24) - 12;
                image.setRGB(x, y, clamp(r) << 16 | clamp(g) << 8 | clamp(b));
            }
        }
        return image;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
