package dev.kodiak.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataRootTest {
    @TempDir
    Path tmp;
    Path dir;
    Path elsewhere;
    DataRoot root;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectories(tmp.resolve("data"));
        elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("secret.txt"), "s");
        Files.createDirectories(dir.resolve("cat"));
        Files.writeString(dir.resolve("cat/1.jpg"), "1");
        root = DataRoot.of(dir);
    }

    @Test
    void pathsInsideResolveToTheirRealPathIncludingOnesThatDoNotExistYet() throws IOException {
        Path real = dir.toRealPath();
        assertThat(root.path()).isEqualTo(real);
        assertThat(root.resolve("cat/1.jpg")).isEqualTo(real.resolve("cat/1.jpg"));
        assertThat(root.resolve("dog/new/2.jpg")).isEqualTo(real.resolve("dog/new/2.jpg"));
        assertThat(root.resolve(real.resolve("cat/1.jpg"))).isEqualTo(real.resolve("cat/1.jpg"));
        assertThat(root.relative(real.resolve("cat/1.jpg"))).isEqualTo("cat/1.jpg");
        // a link that stays inside is followed to where it leads
        Files.createSymbolicLink(dir.resolve("kitten"), dir.resolve("cat"));
        assertThat(root.resolve("kitten/1.jpg")).isEqualTo(real.resolve("cat/1.jpg"));
        assertThat(root.resolve("kitten/9.jpg")).isEqualTo(real.resolve("cat/9.jpg"));
    }

    @Test
    void aFolderLinkLeadingOutsideIsRefusedForExistingAndNewFiles() throws IOException {
        Files.createSymbolicLink(dir.resolve("evil"), elsewhere);
        assertThatThrownBy(() -> root.resolve("evil/secret.txt")).isInstanceOf(OutsideDataRootException.class)
                .hasMessageContaining("refusing the path evil/secret.txt")
                .hasMessageContaining("outside the data folder (through a symbolic link)");
        assertThatThrownBy(() -> root.resolve("evil/authorized_keys")).isInstanceOf(OutsideDataRootException.class);
        assertThatThrownBy(() -> root.resolveEntry("evil/deeper/new.jpg")).isInstanceOf(OutsideDataRootException.class);
        assertThat(root.contains(dir.resolve("evil/secret.txt"))).isFalse();
        // the link itself is an entry inside the folder (moving it moves the link), but its content is not
        assertThat(root.resolveEntry("evil")).isEqualTo(dir.toRealPath().resolve("evil"));
        assertThatThrownBy(() -> root.resolve("evil")).isInstanceOf(OutsideDataRootException.class);
    }

    @Test
    void aFileLinkLeadingOutsideCanBeMovedButNotRead() throws IOException {
        Files.createSymbolicLink(dir.resolve("cat/2.jpg"), elsewhere.resolve("secret.txt"));
        assertThat(root.resolveEntry("cat/2.jpg")).isEqualTo(dir.toRealPath().resolve("cat/2.jpg"));
        assertThatThrownBy(() -> root.resolve("cat/2.jpg")).isInstanceOf(OutsideDataRootException.class);
    }

    @Test
    void climbingOutAbsolutePathsTheRootItselfAndDanglingLinksAreRefused() throws IOException {
        assertThatThrownBy(() -> root.resolve("../elsewhere/secret.txt")).isInstanceOf(OutsideDataRootException.class);
        assertThatThrownBy(() -> root.resolve("cat/../../elsewhere/x")).isInstanceOf(OutsideDataRootException.class);
        assertThatThrownBy(() -> root.resolve(elsewhere.resolve("secret.txt")))
                .isInstanceOf(OutsideDataRootException.class);
        assertThatThrownBy(() -> root.resolve(".")).hasMessageContaining("the data folder itself");
        assertThatThrownBy(() -> root.resolve("")).isInstanceOf(OutsideDataRootException.class);
        // a dangling link would be created outside when written through: refused
        Files.createSymbolicLink(dir.resolve("cat/dangling.jpg"), elsewhere.resolve("not-yet.jpg"));
        assertThatThrownBy(() -> root.resolve("cat/dangling.jpg")).hasMessageContaining("leads nowhere");
        Files.createSymbolicLink(dir.resolve("gone"), elsewhere.resolve("no-folder"));
        assertThatThrownBy(() -> root.resolve("gone/x.jpg")).hasMessageContaining("leads nowhere");
        // a link loop
        Files.createSymbolicLink(dir.resolve("loop"), dir.resolve("loop"));
        assertThatThrownBy(() -> root.resolve("loop/x")).isInstanceOf(OutsideDataRootException.class);
    }
}
