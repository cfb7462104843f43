package dev.kodiak.learn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Red-ish vs blue-ish 8×8 raw images with noise, in {@code blue/} and {@code red/}: learnable in a few epochs. */
final class ColourImages {
    private ColourImages() {
    }

    static void write(Path dir, int perLabel) throws IOException {
        Random r = new Random(1);
        for (String label : List.of("blue", "red")) {
            for (int i = 0; i < perLabel; i++) {
                byte[] b = new byte[2 + 8 * 8 * 3];
                b[0] = 8;
                b[1] = 8;
                for (int p = 0; p < 64; p++) {
                    int strong = 150 + r.nextInt(100);
                    int weak = r.nextInt(110);
                    b[2 + p * 3] = (byte) (label.equals("red") ? strong : weak);
                    b[2 + p * 3 + 1] = (byte) r.nextInt(256);
                    b[2 + p * 3 + 2] = (byte) (label.equals("red") ? weak : strong);
                }
                Path f = dir.resolve(label).resolve(String.format("%s%02d.raw", label, i));
                Files.createDirectories(f.getParent());
                Files.write(f, b);
            }
        }
    }
}
