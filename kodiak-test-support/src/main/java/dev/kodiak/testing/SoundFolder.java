package dev.kodiak.testing;

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

/**
 * A labelled folder of sounds the tests synthesize: {@code tone/} (steady sine tones), {@code chirp/} (rising sweeps)
 * and {@code noise/} (noise bursts), of varied lengths, written in mixed sample rates, channel counts and containers
 * (16-bit WAV here; FLAC, Ogg Vorbis and MP3 through Debian's ffmpeg command when it is installed). Easy to tell
 * apart on a spectrogram, so a few training steps already learn something.
 */
public final class SoundFolder {
    /** Debian's ffmpeg command. */
    public static final String FFMPEG = "/usr/bin/ffmpeg";
    private static final int[] RATES = {8000, 16000, 22050, 44100, 48000};
    private static final String[] CONTAINERS = {"wav", "flac", "ogg", "mp3"};

    private SoundFolder() {
    }

    /** True when the ffmpeg command is there to write the compressed containers. */
    public static boolean ffmpegAvailable() {
        return Files.isExecutable(Path.of(FFMPEG));
    }

    /**
     * Writes {@code perClass} clips of each class under {@code dir}; returns the files. Clip {@code i} lasts 0.6 to
     * 1.3 s, has {@code 1 + i % 2} channels and rate {@code RATES[i % 5]}; its container cycles through wav, flac,
     * ogg, mp3 (wav only without ffmpeg).
     */
    public static List<Path> write(Path dir, int perClass, long seed) throws IOException, InterruptedException {
        Random r = new Random(seed);
        List<Path> files = new ArrayList<>();
        for (String label : new String[] {"tone", "chirp", "noise"}) {
            for (int i = 0; i < perClass; i++) {
                int rate = RATES[i % RATES.length];
                double seconds = 0.6 + 0.7 * r.nextDouble();
                float[] mono = switch (label) {
                    case "tone" -> tone(300 + 900 * r.nextDouble(), seconds, rate, 0.5);
                    case "chirp" -> chirp(150 + 100 * r.nextDouble(), 2500 + 1000 * r.nextDouble(), seconds, rate);
                    default -> bursts(seconds, rate, r.nextLong());
                };
                int channels = 1 + i % 2;
                String container = ffmpegAvailable() ? CONTAINERS[i % CONTAINERS.length] : "wav";
                Path target = dir.resolve(label).resolve(String.format("%s%02d.%s", label, i, container));
                Files.createDirectories(target.getParent());
                if (container.equals("wav")) {
                    wav(target, rate, channels, mono);
                } else {
                    Path tmp = dir.resolve(label + i + ".tmp.wav");
                    wav(tmp, rate, channels, mono);
                    ffmpeg(tmp, target);
                    Files.delete(tmp);
                }
                files.add(target);
            }
        }
        return files;
    }

    static float[] tone(double hz, double seconds, int rate, double amplitude) {
        float[] s = new float[(int) Math.round(seconds * rate)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    static float[] chirp(double f0, double f1, double seconds, int rate) {
        float[] s = new float[(int) Math.round(seconds * rate)];
        double k = (f1 - f0) / seconds;
        for (int i = 0; i < s.length; i++) {
            double t = i / (double) rate;
            s[i] = (float) (0.4 * Math.sin(2 * Math.PI * (f0 * t + k * t * t / 2)));
        }
        return s;
    }

    static float[] bursts(double seconds, int rate, long seed) {
        Random r = new Random(seed);
        float[] s = new float[(int) Math.round(seconds * rate)];
        int period = rate / 10;
        for (int i = 0; i < s.length; i++) {
            s[i] = i % period < period / 2 ? (float) Math.max(-1, Math.min(1, 0.3 * r.nextGaussian())) : 0f;
        }
        return s;
    }

    /** 16-bit PCM WAV with {@code channels} copies of {@code mono} (the second one at half level). */
    static void wav(Path file, int rate, int channels, float[] mono) throws IOException {
        int bytes = mono.length * channels * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + bytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + bytes).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) channels)
                .putInt(rate).putInt(rate * channels * 2).putShort((short) (channels * 2)).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(bytes);
        for (float v : mono) {
            for (int c = 0; c < channels; c++) {
                b.putShort((short) Math.round(Math.max(-1, Math.min(1, c == 0 ? v : v / 2)) * 32767));
            }
        }
        Files.write(file, b.array());
    }

    private static void ffmpeg(Path source, Path target) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i",
                source.toString(), target.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg could not write " + target + ":\n" + out);
        }
    }
}
