package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.io.Quarantine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanActionsTest {
    @TempDir
    Path tmp;
    Path data;
    CleanActions actions;

    @BeforeEach
    void setUp() throws Exception {
        data = tmp.resolve("bears");
        for (String f : List.of("grizzly/1.png", "grizzly/2.png", "black/1.png", "black/3.png")) {
            Files.createDirectories(data.resolve(f).getParent());
            Files.writeString(data.resolve(f), f);
        }
        Files.writeString(tmp.resolve("secret.png"), "outside");
        actions = CleanActions.of(data, Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    @Test
    void deleteMovesIntoTheQuarantineAndUndoBringsItBack() throws Exception {
        CleanAction a = actions.delete("grizzly/2.png");
        assertThat(a).isEqualTo(new CleanAction(1, "2026-01-02T03:04:05Z", "delete", "grizzly/2.png",
                ".quarantine/grizzly/2.png", null));
        assertThat(data.resolve("grizzly/2.png")).doesNotExist();
        assertThat(data.resolve(".quarantine/grizzly/2.png")).hasContent("grizzly/2.png");
        assertThat(Quarantine.of(data).entries()).singleElement().satisfies(e -> assertThat(e.by()).isEqualTo("clean"));
        CleanAction undo = actions.undoLast();
        assertThat(undo).isEqualTo(new CleanAction(2, "2026-01-02T03:04:05Z", "undo", "grizzly/2.png",
                ".quarantine/grizzly/2.png", 1));
        assertThat(data.resolve("grizzly/2.png")).hasContent("grizzly/2.png");
        assertThat(Quarantine.of(data).entries()).isEmpty();
        assertThat(Files.readAllLines(actions.log(), StandardCharsets.UTF_8)).containsExactly(
                "{\"id\":1,\"time\":\"2026-01-02T03:04:05Z\",\"action\":\"delete\",\"file\":\"grizzly/2.png\",\"to\":\".quarantine/grizzly/2.png\"}",
                "{\"id\":2,\"time\":\"2026-01-02T03:04:05Z\",\"action\":\"undo\",\"file\":\"grizzly/2.png\",\"to\":\".quarantine/grizzly/2.png\",\"undoes\":1}");
    }

    @Test
    void relabelMovesToTheSiblingFolderAndResolvesNameClashes() throws Exception {
        CleanAction a = actions.relabel("grizzly/1.png", "black");
        assertThat(a.to()).isEqualTo("black/1-1.png"); // black/1.png exists already
        assertThat(data.resolve("black/1.png")).hasContent("black/1.png");
        assertThat(data.resolve("black/1-1.png")).hasContent("grizzly/1.png");
        CleanAction b = actions.relabel("black/3.png", "brown"); // a new label folder
        assertThat(b.to()).isEqualTo("brown/3.png");
        assertThat(data.resolve("brown/3.png")).exists();
    }

    @Test
    void undoGoesBackOneActionAtATime() throws Exception {
        actions.relabel("grizzly/1.png", "black");
        actions.delete("black/3.png");
        assertThat(actions.undoLast().undoes()).isEqualTo(2);
        assertThat(data.resolve("black/3.png")).exists();
        assertThat(actions.undoLast().undoes()).isEqualTo(1);
        assertThat(data.resolve("grizzly/1.png")).hasContent("grizzly/1.png");
        assertThat(data.resolve("black/1-1.png")).doesNotExist();
        assertThatThrownBy(actions::undoLast).isInstanceOf(ApiError.class).hasMessage("nothing to undo")
                .extracting(e -> ((ApiError) e).status()).isEqualTo(409);
    }

    @Test
    void undoNeverOverwritesAFileThatTookTheOriginalPlace() throws Exception {
        actions.relabel("grizzly/1.png", "brown");
        Files.writeString(data.resolve("grizzly/1.png"), "a new file");
        assertThatThrownBy(actions::undoLast).isInstanceOf(ApiError.class)
                .hasMessageContaining("a file already exists at grizzly/1.png");
        assertThat(data.resolve("grizzly/1.png")).hasContent("a new file");
        assertThat(data.resolve("brown/1.png")).hasContent("grizzly/1.png");
    }

    @Test
    void pathsFromTheBrowserCannotLeaveTheDataFolder() throws Exception {
        Files.createSymbolicLink(data.resolve("grizzly/link.png"), tmp.resolve("secret.png"));
        Files.createSymbolicLink(data.resolve("elsewhere"), tmp);
        for (String bad : List.of("../secret.png", "grizzly/../../secret.png", "/etc/passwd", tmp.resolve("secret.png").toString(),
                "grizzly\\..\\..\\secret.png", ".quarantine/grizzly/2.png", "grizzly/./1.png", "grizzly//1.png",
                "C:/secret.png", "grizzly/1.png\0.png", "grizzly/notes.txt", "", "grizzly")) {
            assertThatThrownBy(() -> actions.delete(bad)).as(bad).isInstanceOf(ApiError.class)
                    .extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        }
        assertThatThrownBy(() -> actions.delete("grizzly/link.png")).isInstanceOf(ApiError.class)
                .hasMessageContaining("link");
        assertThatThrownBy(() -> actions.delete("elsewhere/secret.png")).isInstanceOf(ApiError.class)
                .hasMessageContaining("outside the data folder (through a symbolic link)");
        assertThatThrownBy(() -> actions.delete("grizzly/9.png")).isInstanceOf(ApiError.class)
                .extracting(e -> ((ApiError) e).status()).isEqualTo(404);
        for (String label : List.of("../x", "a/b", ".quarantine", "", "..")) {
            assertThatThrownBy(() -> actions.relabel("grizzly/1.png", label)).as(label).isInstanceOf(ApiError.class);
        }
        assertThat(tmp.resolve("secret.png")).hasContent("outside");
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(actions.history()).isEmpty();
    }

    private void logLine(String json) throws Exception {
        Files.writeString(actions.log(), json + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void undoOfAnEditedLogDoesNotPullAFileInThroughALinkedFolder() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(outside.resolve("id_rsa.png"), "PRIVATE");
        Files.createSymbolicLink(data.resolve("evil"), outside);
        logLine("{\"id\":1,\"time\":\"t\",\"action\":\"relabel\",\"file\":\"grizzly/stolen.png\",\"to\":\"evil/id_rsa.png\"}");

        assertThatThrownBy(actions::undoLast).isInstanceOf(ApiError.class)
                .hasMessageContaining("log entry #1").hasMessageContaining("evil/id_rsa.png")
                .extracting(e -> ((ApiError) e).status()).isEqualTo(409);
        assertThat(outside.resolve("id_rsa.png")).hasContent("PRIVATE");
        assertThat(data.resolve("grizzly/stolen.png")).doesNotExist();
    }

    @Test
    void undoOfAnEditedLogDoesNotPlantAFileOutsideThroughALinkedFolder() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("home"));
        Files.createSymbolicLink(data.resolve("evil"), outside);
        logLine("{\"id\":1,\"time\":\"t\",\"action\":\"relabel\",\"file\":\"evil/planted.png\",\"to\":\"grizzly/1.png\"}");

        assertThatThrownBy(actions::undoLast).isInstanceOf(ApiError.class).hasMessageContaining("log entry #1");
        assertThat(outside.resolve("planted.png")).doesNotExist();
        assertThat(data.resolve("grizzly/1.png")).hasContent("grizzly/1.png");
    }

    @Test
    void undoChecksEachLogEntryLikeARequest() throws Exception {
        Files.createDirectories(data.resolve(".quarantine"));
        Files.writeString(data.resolve(".quarantine/q.png"), "q");
        for (String entry : List.of(
                "{\"id\":1,\"time\":\"t\",\"action\":\"rm -rf\",\"file\":\"grizzly/9.png\",\"to\":\"grizzly/1.png\"}",
                "{\"id\":1,\"time\":\"t\",\"action\":\"relabel\",\"file\":\"../x.png\",\"to\":\"grizzly/1.png\"}",
                "{\"id\":1,\"time\":\"t\",\"action\":\"relabel\",\"file\":\"grizzly/x.png\",\"to\":\"/etc/passwd\"}",
                "{\"id\":1,\"time\":\"t\",\"action\":\"relabel\",\"file\":\"grizzly/x.sh\",\"to\":\"grizzly/1.png\"}",
                "{\"id\":1,\"time\":\"t\",\"action\":\"relabel\",\"file\":\"grizzly/x.png\",\"to\":\".quarantine/q.png\"}",
                "{\"id\":1,\"time\":\"t\",\"action\":\"relabel\",\"file\":\"grizzly/x.png\"}",
                "{\"id\":1,\"time\":\"t\",\"action\":\"delete\",\"file\":\"grizzly/x.png\",\"to\":\"black/1.png\"}")) {
            Files.writeString(actions.log(), entry + "\n");
            assertThatThrownBy(actions::undoLast).as(entry).isInstanceOf(ApiError.class)
                    .hasMessageContaining("log entry #1").hasMessageContaining("nothing was moved");
        }
        assertThat(data.resolve("grizzly/1.png")).hasContent("grizzly/1.png");
        assertThat(data.resolve("black/1.png")).hasContent("black/1.png");
        assertThat(data.resolve(".quarantine/q.png")).exists();
        assertThat(data.resolve("grizzly/x.png")).doesNotExist();
    }

    @Test
    void relabelToALabelWhoseFolderIsALinkOutsideIsRefused() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(data.resolve("brown"), outside);
        assertThatThrownBy(() -> actions.relabel("grizzly/1.png", "brown")).isInstanceOf(ApiError.class)
                .hasMessageContaining("outside the data folder")
                .extracting(e -> ((ApiError) e).status()).isEqualTo(400);
        assertThat(data.resolve("grizzly/1.png")).exists();
        try (var list = Files.list(outside)) {
            assertThat(list).isEmpty();
        }
        // a label folder linked to another folder inside is fine: the file lands in the real folder
        Files.createSymbolicLink(data.resolve("ursus"), data.resolve("black"));
        CleanAction a = actions.relabel("grizzly/2.png", "ursus");
        assertThat(a.to()).isEqualTo("black/2.png");
        assertThat(data.resolve("black/2.png")).hasContent("grizzly/2.png");
        assertThat(actions.history()).hasSize(1);
    }

    @Test
    void aLinkedLogIsNeitherReadNorWrittenThrough() throws Exception {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "root:x:0:0");
        Files.createSymbolicLink(actions.log(), secret);
        assertThatThrownBy(actions::history).hasMessageContaining("symbolic link").hasMessageNotContaining("root:x");
        assertThatThrownBy(() -> actions.delete("grizzly/1.png")).hasMessageContaining("symbolic link");
        assertThat(secret).hasContent("root:x:0:0");
    }

    @Test
    void imagesListsOnlyRealFilesInsideTheDataFolder() throws Exception {
        Files.createSymbolicLink(data.resolve("grizzly/link.png"), tmp.resolve("secret.png"));
        assertThat(actions.images()).extracting(actions::relative)
                .containsExactly("black/1.png", "black/3.png", "grizzly/1.png", "grizzly/2.png");
    }
}
