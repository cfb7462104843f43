package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kodiak.audio.AudioSettings;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.SoundFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verbs on a folder of sound files (synthesized tones, chirps and noise in wav/flac/ogg/mp3, mixed rates and
 * channel counts): detected as audio, defaults chosen from the data and printed, trained from scratch, predicted,
 * interpreted.
 */
@Tag("slow")
class AudioCliTest {
    @TempDir
    Path dir;

    @Test
    void summaryShowBatchTrainPredictAndInterpretAFolderOfSounds() throws Exception {
        Path data = dir.resolve("sounds");
        SoundFolder.write(data, 4, 5);

        CliRun summary = CliRun.of("data", "summary", data.toString(), "--n-mels", "32");
        assertThat(summary.exitCode()).as(summary.err()).isZero();
        assertThat(summary.out()).contains("audio files").contains("Audio defaults from 10 training clips")
                .contains("sample rate 16000 Hz");

        Path png = dir.resolve("batch.png");
        CliRun show = CliRun.of("data", "show-batch", data.toString(), "--out", png.toString(), "--rows", "2",
                "--duration", "0.5", "--sample-rate", "8000", "--n-mels", "32", "--n-fft", "256", "--hop", "128");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(Files.size(png)).isPositive();

        Path model = dir.resolve("sounds.kodiak");
        CliRun train = CliRun.of("train", data.toString(), "--weights", "none", "--epochs", "1", "--bs", "4",
                "--n-mels", "32", "--n-fft", "512", "--augment", "--workers", "1", "--out", model.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(train.out()).contains("Audio defaults from 10 training clips").contains("spectrograms of 32 x ");
        Manifest m = ModelFile.readManifest(model);
        assertThat(m.input().kind()).isEqualTo("audio");
        AudioSettings s = AudioSettings.fromParameters(m.input().parameters());
        assertThat(s.sampleRate()).isEqualTo(16000); // 22.05 kHz most common, capped at 16 kHz
        assertThat(s.duration()).isBetween(0.7, 1.3); // covers the 95th percentile of the 0.6-1.3 s clips
        assertThat(s.augment()).isTrue();
        assertThat(m.output().labels()).containsExactly("chirp", "noise", "tone");

        CliRun predict = CliRun.of("predict", model.toString(), data.resolve("tone").toString(), "--json");
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        List<JsonNode> lines = TrainCommandTest.lines(predict.out());
        assertThat(lines).hasSize(4);
        for (JsonNode line : lines) {
            assertThat(line.get("file").asText()).contains("tone");
            assertThat(List.of("chirp", "noise", "tone")).contains(line.get("label").asText());
        }

        // interpret reads the recorded validation split through the model's kind: top losses as spectrograms
        Path report = dir.resolve("report");
        CliRun interpret = CliRun.of("interpret", model.toString(), "--out", report.toString(), "--top-losses", "2");
        assertThat(interpret.exitCode()).as(interpret.err()).isZero();
        assertThat(Files.size(report.resolve("confusion.png"))).isPositive();
        java.awt.image.BufferedImage top = javax.imageio.ImageIO.read(report.resolve("top-losses.png").toFile());
        assertThat(top.getHeight()).isGreaterThan(32); // spectrograms of 32 mels, scaled up, under their captions
    }
}
