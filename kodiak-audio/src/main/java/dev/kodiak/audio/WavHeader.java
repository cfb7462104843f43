package dev.kodiak.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a RIFF/WAVE header declares: the frames of its {@code data} chunk. FFmpeg's WAV demuxer quietly replaces a
 * declared size larger than the file by what the file holds, which hides both a truncated download and a "bomb" (a
 * few bytes declaring hours), so the decoder reads the declaration itself. Internal to the audio package.
 */
final class WavHeader {
    private static final int MAX_CHUNKS = 64; // a header is a handful of chunks; a longer walk is not a WAV we trust

    private WavHeader() {
    }

    /** The frames the data chunk declares, or -1 when the file is no plain RIFF WAVE or declares no size. */
    static long declaredFrames(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            ByteBuffer head = read(in, 12);
            if (head == null || head.getInt(0) != 0x46464952 || head.getInt(8) != 0x45564157) { // "RIFF", "WAVE"
                return -1;
            }
            int blockAlign = 0;
            for (int i = 0; i < MAX_CHUNKS; i++) {
                ByteBuffer chunk = read(in, 8);
                if (chunk == null) {
                    return -1;
                }
                int id = chunk.getInt(0);
                long size = chunk.getInt(4) & 0xFFFFFFFFL;
                if (id == 0x61746164) { // "data"
                    boolean unknown = size == 0xFFFFFFFFL || size == 0; // streaming writers leave these
                    return unknown || blockAlign <= 0 ? -1 : size / blockAlign;
                }
                long skip = size + (size & 1); // chunks are padded to even sizes
                if (id == 0x20746d66 && size >= 14) { // "fmt "
                    ByteBuffer fmt = read(in, 14);
                    if (fmt == null) {
                        return -1;
                    }
                    blockAlign = fmt.getShort(12) & 0xFFFF;
                    skip -= 14;
                }
                if (in.skip(skip) != skip) {
                    return -1;
                }
            }
            return -1;
        }
    }

    private static ByteBuffer read(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        return b.length == n ? ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN) : null;
    }
}
