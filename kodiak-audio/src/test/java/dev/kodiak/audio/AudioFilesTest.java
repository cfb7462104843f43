package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFilesTest {
    @TempDir
    Path dir;

    @Test
    void findsEverySoundExtensionRecursivelySortedAndSkipsHiddenAndOtherFiles() throws Exception {
        for (String name : new String[] {"b/2.WAV", "b/1.flac", "a/x.mp3", "a/y.ogg", "a/z.m4a", "c/d/e.opus",
                "a/notes.txt", "a/pic.jpg", "a/.hidden.wav", ".quarantine/bad.wav", "a/old.aiff"}) {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[] {1});
        }
        assertThat(AudioFiles.find(dir)).containsExactly(dir.resolve("a/x.mp3"), dir.resolve("a/y.ogg"),
                dir.resolve("a/z.m4a"), dir.resolve("b/1.flac"), dir.resolve("b/2.WAV"), dir.resolve("c/d/e.opus"));
        assertThat(AudioFiles.findAudioLike(dir)).contains(dir.resolve("a/old.aiff")).hasSize(7);
    }
}
