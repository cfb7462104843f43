package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.vision.Quarantine;
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
                .hasMessageContaining("link or not a regular file");
        assertThatThrownBy(() -> actions.delete("grizzly/9.png")).isInstanceOf(ApiError.class)
                .extracting(e -> ((ApiError) e).status()).isEqualTo(404);
        for (String label : List.of("../x", "a/b", ".quarantine", "", "..")) {
            assertThatThrownBy(() -> actions.relabel("grizzly/1.png", label)).as(label).isInstanceOf(ApiError.class);
        }
        assertThat(tmp.resolve("secret.png")).hasContent("outside");
        assertThat(tmp.resolve("x")).doesNotExist();
        assertThat(actions.history()).isEmpty();
    }
}
