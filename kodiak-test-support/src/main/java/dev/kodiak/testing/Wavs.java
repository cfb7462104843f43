package dev.kodiak.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Tiny WAV files for tests of modules that see sound only through the verbs (gather's verify, the CLI). */
public final class Wavs {
    private Wavs() {
    }

    /** A mono 16-bit PCM WAV file of {@code frames} frames at {@code rate} Hz: a quiet saw wave, 44-byte header. */
    public static byte[] pcm16(int rate, int frames) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * frames).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + 2 * frames).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate)
                .putShort((short) 2).putShort((short) 16);
        b.put(ascii("data")).putInt(2 * frames);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) ((i % 200) * 50 - 5000));
        }
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
