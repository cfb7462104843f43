package dev.kodiak.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kodiak.testing.Wavs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    @TempDir
    Path dir;

    private void brokenDataset() throws IOException {
        TestImages.folders(dir, 2, "cats", "dogs");
        Files.writeString(dir.resolve("dogs/page.jpg"), "<!DOCTYPE html><html></html>");
        Files.write(dir.resolve("cats/empty.png"), new byte[0]);
    }

    @Test
    void soundFilesAreVerifiedBesideImagesWithTheLimitOfSecondsGiven() throws IOException {
        brokenDataset();
        Files.createDirectories(dir.resolve("purr"));
        Files.write(dir.resolve("purr/short.wav"), Wavs.pcm16(8000, 4000));
        Files.write(dir.resolve("purr/long.wav"), Wavs.pcm16(8000, 8000 * 3));
        Files.write(dir.resolve("purr/nothing.flac"), new byte[0]);

        CliRun run = CliRun.of("verify", dir.toString(), "--max-seconds", "2", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(run.out().strip());
        assertThat(j.get("checked").asInt()).isEqualTo(9);
        assertThat(j.get("ok").asInt()).isEqualTo(5);
        assertThat(j.get("failed").findValuesAsText("reason"))
                .containsExactly("zero_bytes", "not_an_image", "too-long", "empty");
        assertThat(dir.resolve(".quarantine/purr/long.wav")).exists();
        assertThat(dir.resolve(".quarantine/purr/nothing.flac")).exists();
        assertThat(dir.resolve("purr/short.wav")).exists();

        CliRun bad = CliRun.of("verify", dir.toString(), "--max-seconds", "0");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("--max-seconds");
    }

    @Test
    void dryRunListsThenVerifyMovesThenRestoreBringsBack() throws IOException {
        brokenDataset();
        CliRun dry = CliRun.of("verify", dir.toString(), "--dry-run", "--json");
        assertThat(dry.exitCode()).as(dry.err()).isZero();
        JsonNode d = new ObjectMapper().readTree(dry.out().strip());
        assertThat(d.get("checked").asInt()).isEqualTo(6);
        assertThat(d.get("ok").asInt()).isEqualTo(4);
        assertThat(d.get("dry_run").asBoolean()).isTrue();
        assertThat(d.get("failed")).hasSize(2);
        assertThat(d.get("failed").get(0).get("file").asText()).isEqualTo(dir.resolve("cats/empty.png").toString());
        assertThat(d.get("failed").get(0).get("reason").asText()).isEqualTo("zero_bytes");
        assertThat(d.get("failed").get(1).get("reason").asText()).isEqualTo("not_an_image");
        assertThat(d.get("failed").get(1).get("quarantined_to").isNull()).isTrue();
        assertThat(dir.resolve("dogs/page.jpg")).exists();

        CliRun run = CliRun.of("verify", dir.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("6 files checked, 4 ok, 2 failed")
                .contains("page.jpg: not_an_image (it looks like HTML").contains("--restore");
        assertThat(dir.resolve("dogs/page.jpg")).doesNotExist();
        assertThat(dir.resolve(".quarantine/dogs/page.jpg")).exists();
        assertThat(Files.readAllLines(dir.resolve(".quarantine/quarantine.csv"))).hasSize(3);

        CliRun list = CliRun.of("verify", dir.toString(), "--restore", "--dry-run", "--json");
        JsonNode l = new ObjectMapper().readTree(list.out().strip());
        assertThat(l.get("entries")).hasSize(2);
        assertThat(l.get("entries").get(0).get("by").asText()).isEqualTo("verify");

        Files.writeString(dir.resolve("dogs/page.jpg"), "a new file in the way");
        CliRun restore = CliRun.of("verify", dir.toString(), "--restore", "--json");
        JsonNode r = new ObjectMapper().readTree(restore.out().strip());
        assertThat(r.get("restored")).hasSize(1);
        assertThat(r.get("restored").get(0).get("file").asText()).endsWith("cats/empty.png");
        assertThat(r.get("refused")).hasSize(1);
        assertThat(r.get("refused").get(0).get("why").asText()).contains("already exists");
        assertThat(dir.resolve("cats/empty.png")).exists();
        assertThat(dir.resolve("dogs/page.jpg")).hasContent("a new file in the way");
    }

    @Test
    void aMissingFolderIsAnError() {
        CliRun run = CliRun.of("verify", dir.resolve("nope").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("kodiak: dataset folder").contains("does not exist");
    }

    @Test
    void restoreRefusesACraftedRowThatLeadsOutsideThroughAFolderLinkAndRestoresTheRest(@TempDir Path elsewhere)
            throws IOException {
        brokenDataset();
        assertThat(CliRun.of("verify", dir.toString()).exitCode()).isZero();
        Files.createDirectories(dir.resolve(".quarantine/a"));
        Files.writeString(dir.resolve(".quarantine/a/k"), "ssh-ed25519 AAAA attacker");
        Files.createSymbolicLink(dir.resolve("evil"), elsewhere);
        Files.writeString(dir.resolve(".quarantine/quarantine.csv"),
                ".quarantine/a/k,evil/authorized_keys,r,verify,2026-11-24T10:15:30Z\n",
                java.nio.file.StandardOpenOption.APPEND);

        CliRun restore = CliRun.of("verify", dir.toString(), "--restore");

        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(elsewhere.resolve("authorized_keys")).doesNotExist();
        assertThat(restore.out()).contains("Restored 2 files").contains("the row '.quarantine/a/k,evil/authorized_keys'");
        assertThat(dir.resolve("dogs/page.jpg")).exists();
        assertThat(dir.resolve("cats/empty.png")).exists();
        assertThat(dir.resolve(".quarantine/a/k")).exists();
    }

    @Test
    void unsupportedImageFormatsAreReportedAndMovedButCsvAndTextFilesAreNot() throws IOException {
        TestImages.folders(dir, 1, "cats");
        Files.write(dir.resolve("cats/scan.tif"), new byte[] {'I', 'I', '*', 0, 8, 0, 0, 0, 0, 0, 0, 0});
        Files.writeString(dir.resolve("sources.csv"), "file,url\n");
        Files.writeString(dir.resolve("cats/notes.txt"), "notes");

        CliRun run = CliRun.of("verify", dir.toString(), "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(run.out().strip());
        assertThat(j.get("checked").asInt()).isEqualTo(2);
        assertThat(j.get("failed")).hasSize(1);
        assertThat(j.get("failed").get(0).get("reason").asText()).isEqualTo("unsupported_format");
        assertThat(j.get("skipped")).isEmpty();
        assertThat(dir.resolve(".quarantine/cats/scan.tif")).exists();
        assertThat(dir.resolve("sources.csv")).exists();
        assertThat(dir.resolve("cats/notes.txt")).exists();
    }
}
