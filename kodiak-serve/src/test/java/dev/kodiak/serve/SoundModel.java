package dev.kodiak.serve;

import dev.kodiak.audio.AudioBlock;
import dev.kodiak.audio.AudioClip;
import dev.kodiak.audio.AudioFiles;
import dev.kodiak.audio.AudioSettings;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.learn.Learner;
import dev.kodiak.models.Architectures;
import dev.kodiak.testing.SoundFolder;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny sound classifier for the server tests: synthesized tones, chirps and noise ({@link SoundFolder}, mixed
 * containers), 0.5 s at 8 kHz, 32 mels, ResNet-18 from random weights, one epoch; uploads over
 * {@link #MAX_SECONDS} are refused by the model's own limit. Trained once per test JVM.
 */
final class SoundModel {
    static final List<String> LABELS = List.of("chirp", "noise", "tone");
    /** The limit of seconds the model file records. */
    static final double MAX_SECONDS = 4;

    private static Path data;
    private static Path model;

    private SoundModel() {
    }

    /** The shared model file (trained on {@link #data()}). */
    static synchronized Path shared() {
        if (model == null) {
            try {
                Path dir = Files.createTempDirectory("kodiak-serve-sound");
                data = dir.resolve("sounds");
                SoundFolder.write(data, 3, 5);
                model = train(data, dir.resolve("sounds.kodiak"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return model;
    }

    /** The folder the shared model was trained on (tests must not change it). */
    static synchronized Path data() {
        shared();
        return data;
    }

    private static Path train(Path dir, Path out) {
        AudioBlock audio = AudioBlock.of(new AudioSettings(8000, 0.5, 32, 256, 128, 0, 4000, 80, false, false,
                MAX_SECONDS));
        try (DataLoaders<AudioClip> dls = DataBlock.builder().blocks(audio, CategoryBlock.create())
                .items(AudioFiles::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .itemTransforms(audio.itemTransforms()).build()
                .dataLoaders(dir, LoaderOptions.defaults().withBatchSize(4).withWorkers(1))) {
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18, VisionLearnerOptions.defaults()
                    .weights(PretrainedChoice.none()).seed(1L));
            learn.log(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            learn.fit(1, 1e-3);
            learn.export(out);
        }
        return out;
    }

    /** A mono 16-bit WAV of a sine tone. */
    static byte[] toneWav(int rate, double seconds, double hz) {
        int frames = (int) Math.round(rate * seconds);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * frames).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + 2 * frames).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate)
                .putShort((short) 2).putShort((short) 16);
        b.put(ascii("data")).putInt(2 * frames);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) Math.round(12000 * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        return b.array();
    }

    /** {@code wav} converted by Debian's ffmpeg command to the container {@code extension} names (ogg, webm, ...). */
    static byte[] convert(byte[] wav, String extension, String... codecArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kodiak-serve-convert");
        Path in = dir.resolve("in.wav");
        Path out = dir.resolve("out." + extension);
        Files.write(in, wav);
        List<String> cmd = new java.util.ArrayList<>(List.of(SoundFolder.FFMPEG, "-nostdin", "-hide_banner",
                "-loglevel", "error", "-y", "-i", in.toString()));
        cmd.addAll(List.of(codecArgs));
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("ffmpeg could not write " + out + ":\n" + log);
        }
        byte[] bytes = Files.readAllBytes(out);
        Files.delete(in);
        Files.delete(out);
        Files.delete(dir);
        return bytes;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
