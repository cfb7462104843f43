package dev.kodiak.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.data.TaskKind;
import dev.kodiak.model.Manifest;
import dev.kodiak.io.Quarantine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cleaner's changes to a labels CSV: cells rewritten in place, rows out and back, a backup, a log, undo. */
class CleanActionsCsvTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    Path data;

    @BeforeEach
    void images() throws Exception {
        data = tmp.resolve("pets");
        for (String f : List.of("img/a.png", "img/b, c.png", "img/d.png")) {
            Files.createDirectories(data.resolve(f).getParent());
            Files.writeString(data.resolve(f), f);
        }
    }

    private CleanActions actions(String csvName, String csvText, Manifest.CsvTargets targets, TaskKind kind)
            throws Exception {
        Path csv = csvName.startsWith("/") ? Path.of(csvName) : data.resolve(csvName);
        Files.writeString(csv, csvText, StandardCharsets.UTF_8);
        return CleanActions.of(data, CLOCK, targets, kind);
    }

    @Test
    void singleLabelRelabelRewritesOneCellKeepsTheRestAndUndoPutsItBack() throws Exception {
        String text = "id,file,label,note\r\n"
                + "1,img/a.png,cat,\"likes \"\"fish\"\", a lot\"\r\n"
                + "2,\"img/b, c.png\",dog,\"two\nlines\"\r\n"
                + "3,img/d.png,cat,x\r\n";
        CleanActions actions = actions("labels.csv", text,
                new Manifest.CsvTargets("labels.csv", "file", List.of("label"), null, null), TaskKind.SINGLE_LABEL);
        assertThat(actions.images()).extracting(actions::relative).containsExactly("img/a.png", "img/b, c.png", "img/d.png");

        CleanAction a = actions.relabel("img/b, c.png", "bird, small");
        assertThat(a).isEqualTo(new CleanAction(1, "2026-01-02T03:04:05Z", "relabel", "img/b, c.png", null, null,
                "labels.csv", 2, "2,\"img/b, c.png\",dog,\"two\nlines\"\r\n", List.of("dog"), List.of("bird, small")));
        assertThat(a.describe()).isEqualTo("relabelled img/b, c.png in labels.csv: dog → bird, small");
        String relabelled = "id,file,label,note\r\n"
                + "1,img/a.png,cat,\"likes \"\"fish\"\", a lot\"\r\n"
                + "2,\"img/b, c.png\",\"bird, small\",\"two\nlines\"\r\n"
                + "3,img/d.png,cat,x\r\n";
        assertThat(data.resolve("labels.csv")).hasContent(relabelled);
        assertThat(data.resolve("labels.csv.kodiak-backup")).hasContent(text);
        assertThat(data.resolve("img/b, c.png")).exists(); // the file stays where it is
        assertThat(actions.rows()).extracting(r -> r.targets().get(0)).containsExactly("cat", "bird, small", "cat");

        actions.relabel("img/a.png", "dog");
        assertThat(data.resolve("labels.csv.kodiak-backup")).hasContent(text); // the backup is the first state only
        assertThatThrownBy(() -> actions.relabel("img/d.png", "cat")).isInstanceOf(ApiError.class)
                .hasMessage("img/d.png already has the target cat in labels.csv");

        CleanAction undo = actions.undoLast();
        assertThat(undo.undoes()).isEqualTo(2);
        assertThat(data.resolve("labels.csv")).hasContent(relabelled);
        actions.undoLast();
        assertThat(data.resolve("labels.csv")).hasContent(text);
        assertThatThrownBy(actions::undoLast).hasMessage("nothing to undo");
        assertThat(Files.readAllLines(actions.log()).get(0)).isEqualTo("{\"id\":1,\"time\":\"2026-01-02T03:04:05Z\","
                + "\"action\":\"relabel\",\"file\":\"img/b, c.png\",\"csv\":\"labels.csv\",\"row\":2,"
                + "\"record\":\"2,\\\"img/b, c.png\\\",dog,\\\"two\\nlines\\\"\\r\\n\","
                + "\"before\":[\"dog\"],\"after\":[\"bird, small\"]}");
    }

    @Test
    void deleteQuarantinesTheFileAndTakesOutItsRowUndoPutsBothBack() throws Exception {
        String text = "file,tags,is_valid\nimg/a.png,cat dog,no\n\"img/b, c.png\",\"bird\",YES\nimg/d.png,,0";
        CleanActions actions = actions("labels.csv", text,
                new Manifest.CsvTargets("labels.csv", "file", List.of("tags"), " ", "is_valid"), TaskKind.MULTI_LABEL);

        CleanAction a = actions.delete("img/b, c.png");
        assertThat(a.describe()).isEqualTo("deleted img/b, c.png (moved to .quarantine/img/b, c.png, its row removed "
                + "from labels.csv)");
        assertThat(a.row()).isEqualTo(2);
        assertThat(a.record()).isEqualTo("\"img/b, c.png\",\"bird\",YES\n");
        assertThat(data.resolve("img/b, c.png")).doesNotExist();
        assertThat(data.resolve(".quarantine/img/b, c.png")).hasContent("img/b, c.png");
        assertThat(data.resolve("labels.csv")).hasContent("file,tags,is_valid\nimg/a.png,cat dog,no\nimg/d.png,,0");
        assertThat(actions.images()).extracting(actions::relative).containsExactly("img/a.png", "img/d.png");

        CleanAction b = actions.relabelCsv("img/d.png", actions.csv().multiLabel(List.of("fish", "cat", "fish")));
        assertThat(b.before()).containsExactly("");
        assertThat(b.describe()).isEqualTo("relabelled img/d.png in labels.csv: (none) → fish cat");
        assertThat(data.resolve("labels.csv")).hasContent("file,tags,is_valid\nimg/a.png,cat dog,no\nimg/d.png,fish cat,0");
        assertThatThrownBy(() -> actions.csv().multiLabel(List.of("big cat"))).isInstanceOf(ApiError.class)
                .hasMessageContaining("holds the CSV's label delimiter ' '");

        actions.undoLast();
        actions.undoLast();
        assertThat(data.resolve("labels.csv")).hasContent(text);
        assertThat(data.resolve("img/b, c.png")).hasContent("img/b, c.png");
        assertThat(Quarantine.of(data).entries()).isEmpty();
        assertThat(actions.history()).extracting(CleanAction::action)
                .containsExactly("delete", "relabel", "undo", "undo");
    }

    @Test
    void regressionWritesOneNumberPerTargetColumnAndUndoRefusesWhenTheCellChangedSince() throws Exception {
        String text = "file,w,h\nimg/a.png,1.5,2\nimg/d.png,-3,4e1\n";
        CleanActions actions = actions("sizes.csv", text,
                new Manifest.CsvTargets("sizes.csv", null, List.of("w", "h"), null, null), TaskKind.REGRESSION);
        CleanCsv csv = actions.csv();
        assertThat(csv.editable()).isTrue();
        assertThatThrownBy(() -> csv.regression(List.of("w", "h"), Map.of("w", 1.0))).isInstanceOf(ApiError.class)
                .hasMessageContaining("the target 'h' needs a finite number");

        CleanAction a = actions.relabelCsv("img/d.png", csv.regression(List.of("w", "h"), Map.of("w", -2.25, "h", 40.0)));
        assertThat(a.before()).containsExactly("-3", "4e1");
        assertThat(a.after()).containsExactly("-2.25", "40");
        assertThat(data.resolve("sizes.csv")).hasContent("file,w,h\nimg/a.png,1.5,2\nimg/d.png,-2.25,40\n");
        assertThat(actions.rows().get(1).targets()).containsExactly("-2.25", "40");

        Files.writeString(data.resolve("sizes.csv"), "file,w,h\nimg/a.png,1.5,2\nimg/d.png,7,40\n"); // edited by hand
        assertThatThrownBy(actions::undoLast).isInstanceOf(ApiError.class)
                .hasMessage("cannot undo #1: the row of img/d.png in sizes.csv now says [7, 40], not [-2.25, 40] "
                        + "(changed since?); nothing was changed");
        assertThat(data.resolve("sizes.csv")).hasContent("file,w,h\nimg/a.png,1.5,2\nimg/d.png,7,40\n");
    }

    @Test
    void aCsvOutsideTheDataFolderIsListedButNeverChanged() throws Exception {
        Path outside = tmp.resolve("labels.csv");
        String text = "file,label\n" + data.resolve("img/a.png") + ",cat\nimg/d.png,dog\n";
        CleanActions actions = actions(outside.toString(), text,
                new Manifest.CsvTargets(outside.toString(), null, List.of(), null, null), TaskKind.SINGLE_LABEL);
        assertThat(actions.images()).extracting(actions::relative).containsExactly("img/a.png", "img/d.png");
        assertThat(actions.csv().editable()).isFalse();
        String why = "refusing to change anything: the CSV " + outside.toRealPath() + " lies outside the data folder "
                + data.toRealPath() + ", so the cleaner only shows its items and changes nothing";
        assertThatThrownBy(() -> actions.relabel("img/d.png", "cat")).isInstanceOf(ApiError.class)
                .hasMessageStartingWith(why).satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(409));
        assertThatThrownBy(() -> actions.delete("img/d.png")).hasMessageStartingWith(why);
        assertThat(outside).hasContent(text);
        assertThat(data.resolve("img/d.png")).exists();
        assertThat(Files.exists(actions.log())).isFalse();
        assertThat(tmp.resolve("labels.csv.kodiak-backup")).doesNotExist();
    }
}
