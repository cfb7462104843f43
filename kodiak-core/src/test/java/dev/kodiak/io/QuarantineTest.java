package dev.kodiak.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");

    @TempDir
    Path root;
    Path dir;
    Quarantine quarantine;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(root.resolve("bears"));
        quarantine = Quarantine.of(dir, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Path file(String relative, String content) throws IOException {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, content);
    }

    @Test
    void moveKeepsTheRelativePathAndLogsEveryColumnWithCsvQuoting() throws IOException {
        Path f = file("black/a.jpg", "AAA");
        QuarantineEntry e = quarantine.move(f, "truncated: the file ends after 1,204 bytes", "verify");
        Path expected = dir.toRealPath().resolve(".quarantine/black/a.jpg");
        assertThat(e.file()).isEqualTo(expected);
        assertThat(f).doesNotExist();
        assertThat(expected).hasContent("AAA");
        assertThat(Files.readString(dir.resolve(".quarantine/quarantine.csv"))).isEqualTo(
                "file,original_path,reason,by,time\n"
                        + ".quarantine/black/a.jpg,black/a.jpg,\"truncated: the file ends after 1,204 bytes\",verify,"
                        + "2026-11-24T10:15:30Z\n");
        assertThat(quarantine.entries()).containsExactly(new QuarantineEntry(expected, dir.toRealPath()
                .resolve("black/a.jpg"), "truncated: the file ends after 1,204 bytes", "verify", NOW));
    }

    @Test
    void aNameClashGetsASuffixAndNeverOverwrites() throws IOException {
        quarantine.move(file("black/a.jpg", "first"), "r1", "verify");
        QuarantineEntry second = quarantine.move(file("black/a.jpg", "second"), "r2", "verify");
        QuarantineEntry third = quarantine.move(file("black/a.jpg", "third"), "r3", "verify");
        Path q = dir.resolve(".quarantine/black");
        assertThat(q.resolve("a.jpg")).hasContent("first");
        assertThat(second.file().getFileName().toString()).isEqualTo("a-1.jpg");
        assertThat(q.resolve("a-1.jpg")).hasContent("second");
        assertThat(third.file().getFileName().toString()).isEqualTo("a-2.jpg");
        assertThat(quarantine.entries()).extracting(QuarantineEntry::reason).containsExactly("r1", "r2", "r3");
    }

    @Test
    void pathsOutsideTheFolderAndInsideTheQuarantineAreRefused() throws IOException {
        Path outside = Files.writeString(root.resolve("outside.jpg"), "x");
        assertThatThrownBy(() -> quarantine.move(outside, "r", "verify"))
                .isInstanceOf(KodiakException.class).hasMessageContaining("not inside the dataset folder");
        Path sneaky = dir.resolve("black/../../outside.jpg");
        Files.createDirectories(dir.resolve("black"));
        assertThatThrownBy(() -> quarantine.move(sneaky, "r", "verify"))
                .hasMessageContaining("not inside the dataset folder");
        // A link to a folder outside must not lead there.
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("victim.jpg"), "v");
        Files.createSymbolicLink(dir.resolve("link"), elsewhere);
        assertThatThrownBy(() -> quarantine.move(dir.resolve("link/victim.jpg"), "r", "verify"))
                .hasMessageContaining("not inside the dataset folder");
        assertThat(outside).exists();
        assertThat(elsewhere.resolve("victim.jpg")).exists();

        QuarantineEntry e = quarantine.move(file("a.jpg", "a"), "r", "verify");
        assertThatThrownBy(() -> quarantine.move(e.file(), "again", "verify"))
                .hasMessageContaining("already in the quarantine");
        assertThatThrownBy(() -> quarantine.move(dir.resolve("missing.jpg"), "r", "verify"))
                .hasMessageContaining("not a file");
        assertThat(quarantine.entries()).hasSize(1);
    }

    @Test
    void restoreMovesBackRefusesToOverwriteAndKeepsTheRefusedEntry() throws IOException {
        quarantine.move(file("black/a.jpg", "A"), "r", "verify");
        quarantine.move(file("grizzly/b.jpg", "B"), "r", "gather");
        file("grizzly/b.jpg", "a new file at the same place");

        Quarantine.Restored result = quarantine.restore();
        assertThat(result.restored()).extracting(e -> e.originalPath().getFileName().toString())
                .containsExactly("a.jpg");
        assertThat(dir.resolve("black/a.jpg")).hasContent("A");
        assertThat(result.refused()).hasSize(1);
        assertThat(result.refused().get(0).why()).contains("already exists").contains("grizzly");
        assertThat(dir.resolve("grizzly/b.jpg")).hasContent("a new file at the same place");
        assertThat(dir.resolve(".quarantine/grizzly/b.jpg")).hasContent("B");
        assertThat(quarantine.entries()).extracting(QuarantineEntry::by).containsExactly("gather");

        Files.delete(dir.resolve("grizzly/b.jpg"));
        assertThat(quarantine.restore().restored()).hasSize(1);
        assertThat(dir.resolve("grizzly/b.jpg")).hasContent("B");
        assertThat(quarantine.entries()).isEmpty();
        assertThat(Files.readString(quarantine.log())).isEqualTo("file,original_path,reason,by,time\n");
    }

    @Test
    void restoreWithAFilterAndAnEditedLogPointingOutside() throws IOException {
        quarantine.move(file("a.jpg", "A"), "r", "verify");
        quarantine.move(file("b.jpg", "B"), "r", "gather");
        assertThat(quarantine.restore(e -> e.by().equals("gather")).restored()).hasSize(1);
        assertThat(dir.resolve("b.jpg")).exists();
        assertThat(dir.resolve("a.jpg")).doesNotExist();

        String log = Files.readString(quarantine.log()).replace(",a.jpg,", ",../evil.jpg,");
        Files.writeString(quarantine.log(), log);
        Quarantine.Restored r = quarantine.restore();
        assertThat(r.restored()).isEmpty();
        assertThat(r.refused().get(0).why()).contains("outside");
        assertThat(root.resolve("evil.jpg")).doesNotExist();
        assertThat(dir.resolve(".quarantine/a.jpg")).exists();
    }

    @Test
    void aMissingQuarantinedFileIsReportedAndDropped() throws IOException {
        QuarantineEntry e = quarantine.move(file("a.jpg", "A"), "r", "verify");
        Files.delete(e.file());
        Quarantine.Restored r = quarantine.restore();
        assertThat(r.refused()).extracting(Quarantine.Refused::why).singleElement().asString().contains("gone");
        assertThat(quarantine.entries()).isEmpty();
    }

    @Test
    void quarantinedFilesAreNoLongerFoundInTheDataset() throws IOException {
        file("black/a.jpg", "A");
        file("black/b.jpg", "B");
        quarantine.move(dir.resolve("black/a.jpg"), "r", "verify");
        assertThat(FolderFiles.find(dir, java.util.Set.of("jpg"), "images")).containsExactly(dir.resolve("black/b.jpg"));
        assertThat(List.of(quarantine.folder())).containsExactly(dir.toRealPath().resolve(".quarantine"));
    }

    @Test
    void restoreRefusesARowThatLeadsOutsideThroughAFolderLinkAndRestoresTheRest() throws IOException {
        quarantine.move(file("black/a.jpg", "A"), "r", "verify");
        file(".quarantine/a/k", "ssh-ed25519 AAAA attacker");
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve("evil"), elsewhere);
        Files.writeString(quarantine.log(), ".quarantine/a/k,evil/authorized_keys,r,verify,2026-11-24T10:15:30Z\n",
                java.nio.file.StandardOpenOption.APPEND);

        Quarantine.Restored r = quarantine.restore();

        assertThat(elsewhere.resolve("authorized_keys")).doesNotExist();
        assertThat(dir.resolve(".quarantine/a/k")).exists();
        assertThat(r.refused()).singleElement().extracting(Quarantine.Refused::why).asString()
                .contains("the row '.quarantine/a/k,evil/authorized_keys'").contains("outside");
        assertThat(r.restored()).extracting(e -> dir.relativize(e.originalPath()).toString())
                .containsExactly("black/a.jpg");
        assertThat(dir.resolve("black/a.jpg")).hasContent("A");
        assertThat(quarantine.entries()).extracting(e -> e.file().getFileName().toString()).containsExactly("k");
    }

    @Test
    void restoreDoesNotPullAFileInThroughALinkedQuarantineSubfolder() throws IOException {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("id_rsa"), "PRIVATE");
        Files.createDirectories(dir.resolve(".quarantine"));
        Files.createSymbolicLink(dir.resolve(".quarantine/x"), elsewhere);
        Files.writeString(quarantine.log(), "file,original_path,reason,by,time\n"
                + ".quarantine/x/id_rsa,cat/key.jpg,r,verify,2026-11-24T10:15:30Z\n");

        Quarantine.Restored r = quarantine.restore();

        assertThat(r.restored()).isEmpty();
        assertThat(r.refused()).singleElement().extracting(Quarantine.Refused::why).asString()
                .contains(".quarantine/x/id_rsa,cat/key.jpg");
        assertThat(elsewhere.resolve("id_rsa")).hasContent("PRIVATE");
        assertThat(dir.resolve("cat/key.jpg")).doesNotExist();
    }

    @Test
    void aLinkedLogIsNeitherReadNorWrittenThrough() throws IOException {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Path secret = Files.writeString(elsewhere.resolve("secret.csv"),
                "file,original_path,reason,by,time\n.quarantine/s,TOKEN-123,r,v,2026-11-24T10:15:30Z\n");
        Files.createDirectories(dir.resolve(".quarantine"));
        Files.createSymbolicLink(quarantine.log(), secret);
        Path a = file("a.jpg", "A");

        assertThatThrownBy(() -> quarantine.move(a, "r", "verify")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("is a symbolic link");
        assertThatThrownBy(() -> quarantine.restore()).hasMessageContaining("is a symbolic link");
        assertThat(a).hasContent("A");
        assertThat(secret).hasContent("file,original_path,reason,by,time\n.quarantine/s,TOKEN-123,r,v,"
                + "2026-11-24T10:15:30Z\n");
        assertThat(Files.isSymbolicLink(quarantine.log())).isTrue();
    }

    @Test
    void aQuarantineFolderThatIsALinkOutsideIsRefused() throws IOException {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Files.createSymbolicLink(dir.resolve(".quarantine"), elsewhere);
        Path a = file("a.jpg", "A");
        assertThatThrownBy(() -> quarantine.move(a, "r", "verify")).hasMessageContaining("symbolic link");
        assertThat(a).exists();
        try (var s = Files.list(elsewhere)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void aFileLinkLeadingOutsideIsNotQuarantinedButOneLeadingInsideIs() throws IOException {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));
        Path outside = Files.writeString(elsewhere.resolve("pool.jpg"), "P");
        Files.createDirectories(dir.resolve("cat"));
        Path out = Files.createSymbolicLink(dir.resolve("cat/out.jpg"), outside);
        Path in = Files.createSymbolicLink(dir.resolve("cat/in.jpg"), file("cat/real.jpg", "R"));
        assertThatThrownBy(() -> quarantine.move(out, "r", "verify")).hasMessageContaining("outside");
        assertThat(Files.isSymbolicLink(out)).isTrue();
        QuarantineEntry e = quarantine.move(in, "r", "verify");
        assertThat(Files.isSymbolicLink(e.file())).isTrue();
    }
}
