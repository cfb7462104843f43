package dev.kodiak.audio;

import dev.kodiak.testing.Peers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Sounds the tests make themselves: tones, chirps, noise bursts; WAV files written here, other containers by ffmpeg. */
final class TestSounds {
    static final String FFMPEG = "/usr/bin/ffmpeg";

    private TestSounds() {
    }

    static float[] tone(double hz, double seconds, int rate, double amplitude) {
        float[] s = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    /** A linear sweep from {@code f0} to {@code f1} Hz. */
    static float[] chirp(double f0, double f1, double seconds, int rate, double amplitude) {
        float[] s = new float[(int) Math.round(seconds * rate)];
        double k = (f1 - f0) / seconds;
        for (int i = 0; i < s.length; i++) {
            double t = i / (double) rate;
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * (f0 * t + k * t * t / 2)));
        }
        return s;
    }

    /** Gaussian noise in bursts: on for the first half of every 0.1 s, silent otherwise. */
    static float[] noiseBursts(double seconds, int rate, double sigma, long seed) {
        Random r = new Random(seed);
        float[] s = new float[(int) Math.round(seconds * rate)];
        int period = rate / 10;
        for (int i = 0; i < s.length; i++) {
            s[i] = i % period < period / 2 ? (float) Math.max(-1, Math.min(1, sigma * r.nextGaussian())) : 0f;
        }
        return s;
    }

    static float[] noise(int n, double sigma, long seed) {
        Random r = new Random(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (sigma * r.nextGaussian());
        }
        return s;
    }

    /** PCM encodings of a WAV file: integer bits (8 is unsigned), or IEEE float (32/64). */
    enum Pcm {
        U8(8, false), S16(16, false), S24(24, false), S32(32, false), F32(32, true), F64(64, true);

        final int bits;
        final boolean floating;

        Pcm(int bits, boolean floating) {
            this.bits = bits;
            this.floating = floating;
        }
    }

    /**
     * Writes {@code channels} (each the same length) as a WAV file; {@code extensible} uses WAVE_FORMAT_EXTENSIBLE
     * (the sub-format GUID carries PCM or IEEE float).
     */
    static Path wav(Path file, int rate, Pcm pcm, boolean extensible, float[]... channels) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        int n = channels[0].length;
        int ch = channels.length;
        int bytesPerSample = pcm.bits / 8;
        int dataBytes = n * ch * bytesPerSample;
        int fmtSize = extensible ? 40 : pcm.floating ? 18 : 16;
        ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmtSize + 8 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + 8 + fmtSize + 8 + dataBytes);
        b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(fmtSize);
        int tag = pcm.floating ? 3 : 1;
        b.putShort((short) (extensible ? 0xFFFE : tag)).putShort((short) ch).putInt(rate)
                .putInt(rate * ch * bytesPerSample).putShort((short) (ch * bytesPerSample)).putShort((short) pcm.bits);
        if (extensible) {
            b.putShort((short) 22).putShort((short) pcm.bits).putInt(ch == 1 ? 0x4 : (1 << ch) - 1);
            // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: the tag, then the fixed GUID tail
            b.putInt(tag).putShort((short) 0x0000).putShort((short) 0x0010)
                    .put(new byte[] {(byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        } else if (pcm.floating) {
            b.putShort((short) 0);
        }
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataBytes);
        for (int i = 0; i < n; i++) {
            for (float[] c : channels) {
                double v = Math.max(-1, Math.min(1, c[i]));
                switch (pcm) {
                    case U8 -> b.put((byte) (Math.round(v * 127) + 128));
                    case S16 -> b.putShort((short) Math.round(v * 32767));
                    case S24 -> {
                        int x = (int) Math.round(v * 8388607);
                        b.put((byte) x).put((byte) (x >> 8)).put((byte) (x >> 16));
                    }
                    case S32 -> b.putInt((int) Math.round(v * 2147483647.0));
                    case F32 -> b.putFloat((float) v);
                    case F64 -> b.putDouble(v);
                    default -> throw new IllegalStateException();
                }
            }
        }
        Files.write(file, b.array());
        return file;
    }

    static boolean ffmpegAvailable() {
        return Files.isExecutable(Path.of(FFMPEG));
    }

    /** For a part of a test that needs the ffmpeg CLI: whether it is there (in CI, its absence fails the test). */
    static boolean ffmpegPresent() {
        return Peers.present(ffmpegAvailable(), "the ffmpeg command (" + FFMPEG + ")", "apt-get install ffmpeg");
    }

    /** Skips the calling test where Debian's ffmpeg CLI is missing (fails it in CI). */
    static void assumeFfmpeg() {
        Peers.assume(ffmpegAvailable(), "the ffmpeg command (" + FFMPEG + ")", "apt-get install ffmpeg");
    }

    /** Encodes {@code source} into {@code target} with the ffmpeg CLI, adding {@code args} before the output name. */
    static Path encode(Path source, Path target, String... args) throws IOException, InterruptedException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        List<String> cmd = new ArrayList<>(List.of(FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-i", source.toString()));
        cmd.addAll(List.of(args));
        cmd.add(target.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("ffmpeg failed on " + target + ":\n" + out);
        }
        return target;
    }

    static double rms(float[] a, float[] b, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s / (to - from));
    }
}
