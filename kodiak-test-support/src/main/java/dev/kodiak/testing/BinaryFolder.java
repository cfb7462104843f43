package dev.kodiak.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A labelled folder of "binaries" the tests synthesize for {@code --input bytes}: {@code elf/} (an ELF-like header,
 * then a few repeated 64-byte blocks with sparse changes: the stripes of code and tables) and {@code packed/}
 * (uniform random bytes: what compressed or encrypted files look like). Files are 2 to 6 KB, so their pictures are 32
 * pixels wide (Nataraj's table) and 64 to 192 rows tall; the two kinds are easy to tell apart as pictures.
 */
public final class BinaryFolder {
    private BinaryFolder() {
    }

    /** Writes {@code perKind} files of each kind under {@code dir} (no extensions); returns them. */
    public static List<Path> write(Path dir, int perKind, long seed) throws IOException {
        Random r = new Random(seed);
        List<Path> files = new ArrayList<>();
        Files.createDirectories(dir.resolve("elf"));
        Files.createDirectories(dir.resolve("packed"));
        for (int i = 0; i < perKind; i++) {
            files.add(Files.write(dir.resolve("elf").resolve("prog" + i), elfLike(r)));
            files.add(Files.write(dir.resolve("packed").resolve("blob" + i), packed(r)));
        }
        return files;
    }

    /** An ELF-like file: magic and a 64-byte header, then 64-byte blocks repeated with a byte changed here and there. */
    public static byte[] elfLike(Random r) {
        byte[] b = new byte[2048 + r.nextInt(4096)];
        byte[] header = {0x7F, 'E', 'L', 'F', 2, 1, 1, 0};
        System.arraycopy(header, 0, b, 0, header.length);
        byte[][] blocks = new byte[3][64];
        for (byte[] block : blocks) {
            for (int j = 0; j < block.length; j++) {
                block[j] = (byte) (j % 4 == 0 ? r.nextInt(256) : r.nextInt(16)); // low values: opcodes, small offsets
            }
        }
        for (int at = 64; at < b.length; at += 64) {
            byte[] block = blocks[(at / 64 / 8) % blocks.length]; // runs of eight equal blocks: stripes
            System.arraycopy(block, 0, b, at, Math.min(64, b.length - at));
            if (r.nextInt(4) == 0) {
                b[at + r.nextInt(Math.min(64, b.length - at))] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    /** Compressed-looking noise: every byte uniform. */
    public static byte[] packed(Random r) {
        byte[] b = new byte[2048 + r.nextInt(4096)];
        r.nextBytes(b);
        return b;
    }
}
