package dev.kodiak.spark;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/** A copy of the demo images plus bad files: not an image, empty, and a PNG that claims 20000x20000 pixels. */
final class TestImages {
    static final String BROKEN = "broken.png";
    static final String EMPTY = "empty.jpg";
    static final String HUGE = "huge.png";
    /** Image names for Spark's binaryFile source (pathGlobFilter), in any case. */
    static final String GLOB = "*.{[jJ][pP][gG],[jJ][pP][eE][gG],[pP][nN][gG],[gG][iI][fF],[bB][mM][pP],[wW][eE][bB][pP]}";

    private TestImages() {
    }

    static Path withBadFiles(Path dir) {
        try {
            Path root = dir.resolve("images");
            for (String c : DemoModel.CLASSES) {
                Files.createDirectories(root.resolve(c));
                try (var files = Files.list(DemoModel.images().resolve(c))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, root.resolve(c).resolve(f.getFileName()));
                    }
                }
            }
            Path bad = Files.createDirectories(root.resolve("bad"));
            Files.writeString(bad.resolve(BROKEN), "this is not a picture", StandardCharsets.UTF_8);
            Files.write(bad.resolve(EMPTY), new byte[0]);
            Files.write(bad.resolve(HUGE), pngHeader(20_000, 20_000));
            Files.writeString(root.resolve("notes.txt"), "not an image file name: skipped, as by kodiak predict");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // The PNG signature and an IHDR chunk only: a decoder that checks the size first refuses it without decoding.
    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        DataOutputStream c = new DataOutputStream(chunk);
        c.writeBytes("IHDR");
        c.writeInt(width);
        c.writeInt(height);
        c.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
        byte[] body = chunk.toByteArray();
        data.writeInt(body.length - 4);
        data.write(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        data.writeInt((int) crc.getValue());
        return out.toByteArray();
    }
}
