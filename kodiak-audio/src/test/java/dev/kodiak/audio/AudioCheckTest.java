package dev.kodiak.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.audio.TestSounds.Pcm;
import dev.kodiak.io.Quarantine;
import dev.kodiak.io.QuarantineEntry;
import dev.kodiak.io.Verifier;
import dev.kodiak.io.VerifyReport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kodiak verify} on sound: one synthesized bad file per reason, quarantined under its own name, restorable. */
class AudioCheckTest {
    @TempDir
    Path dir;

    /** Two good clips and one bad file per reason, in two label folders, plus files verify must not touch. */
    private void dataset() throws IOException {
        TestSounds.wav(dir.resolve("yes/good.wav"), 16000, Pcm.S16, false, TestSounds.tone(440, 0.5, 16000, 0.5));
        TestSounds.wav(dir.resolve("no/good.wav"), 8000, Pcm.F32, true, TestSounds.chirp(100, 3000, 0.5, 8000, 0.5));
        Files.write(dir.resolve("yes/empty.wav"), new byte[0]);
        Path cut = TestSounds.wav(dir.resolve("yes/cut.wav"), 16000, Pcm.S16, false,
                TestSounds.tone(440, 2, 16000, 0.5));
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(cut), 44 + 2 * 8000)); // 0.5 s of the declared 2 s
        Files.writeString(dir.resolve("no/page.mp3"), "<!DOCTYPE html><html><body>Not found</body></html>");
        TestSounds.wav(dir.resolve("no/long.wav"), 8000, Pcm.S16, false, TestSounds.tone(100, 3, 8000, 0.5));
        Path odd = TestSounds.wav(dir.resolve("no/odd.wav"), 16000, Pcm.S16, false,
                TestSounds.tone(440, 0.1, 16000, 0.5));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(odd)).order(ByteOrder.LITTLE_ENDIAN);
        Files.write(odd, b.putShort(20, (short) 0x7A7A).array()); // a WAVE format tag no codec claims
        Files.writeString(dir.resolve("yes/memo.aiff"), "FORM....AIFF");
        Files.writeString(dir.resolve("labels.csv"), "file,label\n");
        Files.writeString(dir.resolve("no/notes.txt"), "notes");
    }

    @Test
    void everyReasonIsReportedMovedUnderItsOwnNameAndRestored() throws IOException {
        dataset();
        Verifier verifier = Verifier.of(2, AudioCheck.of(AudioDecoder.withMaxSeconds(2)));

        VerifyReport report = verifier.verify(dir, false);

        assertThat(report.checked()).isEqualTo(8);
        assertThat(report.ok()).isEqualTo(2);
        assertThat(report.failures()).extracting(f -> dir.relativize(f.file()).toString(),
                        VerifyReport.Failure::reasonCode)
                .containsExactly(
                        Tuple.tuple("no/long.wav", "too-long"),
                        Tuple.tuple("no/odd.wav", "unsupported"),
                        Tuple.tuple("no/page.mp3", "not-audio"),
                        Tuple.tuple("yes/cut.wav", "truncated"),
                        Tuple.tuple("yes/empty.wav", "empty"),
                        Tuple.tuple("yes/memo.aiff", "unsupported"));
        assertThat(report.failures().get(3).message()).contains("0.50 s of the 2.00 s its header declares");
        assertThat(report.failures().get(5).message()).contains("does not read .aiff");
        for (VerifyReport.Failure f : report.failures()) {
            assertThat(f.file()).doesNotExist();
            assertThat(f.quarantinedTo()).exists()
                    .isEqualTo(dir.toRealPath().resolve(".quarantine").resolve(dir.relativize(f.file())));
        }
        assertThat(AudioFiles.find(dir)).containsExactly(dir.resolve("no/good.wav"), dir.resolve("yes/good.wav"));
        assertThat(dir.resolve("labels.csv")).exists();
        assertThat(dir.resolve("no/notes.txt")).exists();
        List<QuarantineEntry> entries = Quarantine.of(dir).entries();
        assertThat(entries).extracting(QuarantineEntry::by).containsOnly("verify");
        assertThat(entries).extracting(QuarantineEntry::reason).map(r -> r.substring(0, r.indexOf(':')))
                .containsExactly("too-long", "unsupported", "not-audio", "truncated", "empty", "unsupported");

        // A second run finds nothing more; restoring brings every file back, bytes unchanged.
        assertThat(verifier.verify(dir, false).failures()).isEmpty();
        assertThat(Quarantine.of(dir).restore().restored()).hasSize(6);
        assertThat(AudioFiles.findAudioLike(dir)).hasSize(8);
        assertThat(Files.size(dir.resolve("yes/cut.wav"))).isEqualTo(44 + 2 * 8000);
    }

    @Test
    void theLimitOfSecondsDecidesWhatIsTooLongAndADryRunMovesNothing() throws IOException {
        dataset();
        VerifyReport report = Verifier.of(2, AudioCheck.standard()).verify(dir, true);
        assertThat(report.failures()).extracting(VerifyReport.Failure::reasonCode).doesNotContain("too-long")
                .hasSize(5);
        assertThat(report.failures()).allSatisfy(f -> {
            assertThat(f.file()).exists();
            assertThat(f.quarantined()).isEmpty();
        });
        assertThat(dir.resolve(".quarantine")).doesNotExist();
    }
}
