package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.model.ModelFile;
import dev.kodiak.testing.SoundFolder;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end, made cheap: tiny generated data, 32 px, one epoch. */
@Tag("slow")
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoTrainsInterpretsPredictsAndSaysWhereEverythingWent() throws IOException {
        Path data = TestImages.folders(dir.resolve("colours"), 10, "reds", "blues", "greens");
        Path out = dir.resolve("kodiak-demo");
        CliRun run = CliRun.of("demo", "--data", data.toString(), "--out", out.toString(), "--epochs", "1",
                "--size", "32", "--bs", "8");
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String f : new String[] {"colours.kodiak", "loss.png", "lr.png", "confusion.png", "top-losses.png",
                "report.json"}) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        assertThat(run.out()).contains("== Step 1 of 3: train a classifier and export it\n   $ kodiak train ")
                .contains("== Step 2 of 3: interpret it").contains("== Step 3 of 3: predict a few validation images")
                .contains("Error rate").contains("Done. Everything is in " + out.toAbsolutePath());
        // step 3 prints one line per predicted image: one of each label
        long predicted = run.out().lines().filter(l -> l.matches(".*\\.png  (reds|blues|greens)  [01]\\.\\d{3}")).count();
        assertThat(predicted).isEqualTo(3);
    }

    @Test
    void theSoundDemoTrainsOnSpectrogramsInterpretsAndPredictsClips() throws Exception {
        Path data = dir.resolve("sounds");
        SoundFolder.write(data, 6, 5); // 18 clips: a validation split of 4, so step 3 has 3 clips to predict
        Path out = dir.resolve("sound-demo");
        CliRun run = CliRun.of("demo", "--input", "audio", "--data", data.toString(), "--out", out.toString(),
                "--epochs", "1", "--bs", "4");
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String f : new String[] {"sounds.kodiak", "loss.png", "confusion.png", "top-losses.png", "report.json"}) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        dev.kodiak.model.Manifest m = ModelFile.readManifest(out.resolve("sounds.kodiak"));
        assertThat(m.input().kind()).isEqualTo("audio");
        assertThat(m.trainingData().validFiles()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(run.out()).contains("== Step 1 of 3: train a sound classifier (spectrograms) and export it")
                .contains("--input audio").contains("Audio defaults from")
                .contains("== Step 3 of 3: predict a few validation clips")
                .contains("the clips the model got most wrong, as spectrograms");
        long predicted = run.out().lines()
                .filter(l -> l.matches(".*  (tone|chirp|noise)  [01]\\.\\d{3}")).count();
        assertThat(predicted).as(run.out()).isEqualTo(3);
    }

    @Test
    void theSoundDemoIsTheSingleLabelLesson() {
        CliRun run = CliRun.of("demo", "--input", "audio", "--task", "regression", "--out", dir.toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("--input audio runs the single-label lesson");
    }

    @Test
    void theRegressionAndMultiLabelDemosBuildTheirDataFromTheCategoriesAndRunTheLesson() throws IOException {
        Path data = TestImages.folders(dir.resolve("colours"), 10, "reds", "blues", "greens");
        for (String task : new String[] {"regression", "multi-label"}) {
            Path out = dir.resolve("demo-" + task);
            CliRun run = CliRun.of("demo", "--task", task, "--items", "30", "--data", data.toString(), "--out",
                    out.toString(), "--epochs", "1", "--size", "32", "--bs", "8");
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(out.resolve(task + "-data/labels.csv")).isRegularFile();
            assertThat(run.out()).contains("== Step 1 of 3: train a " + task + " model and export it")
                    .contains("--csv labels.csv --valid-col is_valid");
            assertThat(run.out() + run.err()).contains("Task: " + task);
            for (String f : task.equals("regression") ? new String[] {"scatter.png", "residuals.png", "top-losses.png",
                    "report.json"} : new String[] {"per-label.png", "top-losses.png", "report.json"}) {
                assertThat(out.resolve(f)).as(f).isRegularFile();
            }
        }
    }
}
