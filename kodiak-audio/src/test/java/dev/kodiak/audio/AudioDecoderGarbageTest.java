package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.audio.TestSounds.Pcm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files of every container: each decodes to a bounded clip or fails with a reason, and the JVM lives on. */
class AudioDecoderGarbageTest {
    @TempDir
    Path dir;

    @Test
    void corruptedAndCutFilesGiveAClipOrAReasonNeverACrash() throws Exception {
        Path wav = TestSounds.wav(dir.resolve("src.wav"), 16000, Pcm.S16, false,
                TestSounds.chirp(100, 4000, 0.5, 16000, 0.5));
        List<Path> sources = new ArrayList<>(List.of(wav));
        if (TestSounds.ffmpegPresent()) {
            for (String ext : new String[] {"flac", "mp3", "ogg", "m4a", "opus"}) {
                sources.add(TestSounds.encode(wav, dir.resolve("src." + ext)));
            }
        }
        AudioDecoder decoder = AudioDecoder.withMaxSeconds(5);
        Random random = new Random(42);
        Map<AudioDecodeException.Reason, Integer> reasons = new EnumMap<>(AudioDecodeException.Reason.class);
        int decoded = 0;
        for (Path source : sources) {
            byte[] original = Files.readAllBytes(source);
            for (int k = 0; k < 25; k++) {
                byte[] bad = original.clone();
                if (k % 3 == 0) { // cut anywhere, the header included
                    bad = java.util.Arrays.copyOf(bad, 1 + random.nextInt(bad.length - 1));
                }
                int flips = 1 + random.nextInt(k % 2 == 0 ? 8 : 200);
                for (int f = 0; f < flips; f++) {
                    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                }
                Path file = Files.write(dir.resolve("bad" + k + "-" + source.getFileName()), bad);
                try {
                    AudioClip clip = decoder.decode(file);
                    assertThat(clip.seconds()).isLessThanOrEqualTo(5 + 1.0 / clip.sampleRate());
                    decoded++;
                } catch (AudioDecodeException e) {
                    reasons.merge(e.reason(), 1, Integer::sum);
                    assertThat(e.getMessage()).startsWith("cannot read audio " + file + ": ");
                }
            }
        }
        System.out.println("damaged files: " + decoded + " decoded, refused " + reasons);
        assertThat(decoded + reasons.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(25 * sources.size());
    }
}
