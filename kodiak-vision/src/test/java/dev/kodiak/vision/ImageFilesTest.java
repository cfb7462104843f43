package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageFilesTest {
    @TempDir
    Path dir;

    private void touch(String... names) throws IOException {
        for (String name : names) {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[] {1});
        }
    }

    @Test
    void findsImagesRecursivelyInSortedOrder() throws IOException {
        touch("grizzly/b.JPG", "grizzly/a.jpeg", "black/2.png", "black/10.png", "teddy/x.webp", "teddy/deep/y.gif",
                "teddy/z.BmP", "README.txt", "black/notes.md", "black/.hidden.jpg", ".quarantine/bad.jpg",
                "teddy/.cache/c.jpg", "teddy/noextension", "teddy/jpg");
        List<String> found = ImageFiles.find(dir).stream().map(p -> dir.relativize(p).toString().replace('\\', '/'))
                .toList();
        assertThat(found).containsExactly("black/10.png", "black/2.png", "grizzly/a.jpeg", "grizzly/b.JPG",
                "teddy/deep/y.gif", "teddy/x.webp", "teddy/z.BmP");
    }

    @Test
    void parentFolderSortsBeforeItsSiblingsWithLongerNames() throws IOException {
        touch("a/z.jpg", "a-b/a.jpg", "a.b/a.jpg");
        List<String> found = ImageFiles.find(dir).stream().map(p -> dir.relativize(p).toString()).toList();
        assertThat(found).containsExactly("a/z.jpg", "a-b/a.jpg", "a.b/a.jpg");
    }

    @Test
    void aHiddenRootIsStillSearched() throws IOException {
        touch(".data/cats/a.png");
        assertThat(ImageFiles.find(dir.resolve(".data"))).containsExactly(dir.resolve(".data/cats/a.png"));
    }

    @Test
    void missingOrNonFolderIsAClearError() throws IOException {
        assertThatThrownBy(() -> ImageFiles.find(dir.resolve("nope"))).isInstanceOf(KodiakException.class)
                .hasMessageContaining("image folder " + dir.resolve("nope") + " does not exist");
        touch("file.jpg");
        assertThatThrownBy(() -> ImageFiles.find(dir.resolve("file.jpg"))).isInstanceOf(KodiakException.class)
                .hasMessageContaining("is not a folder");
    }

    @Test
    void imageNamesByExtensionIgnoringCase() {
        assertThat(ImageFiles.isImageName(Path.of("a/b.JpEg"))).isTrue();
        assertThat(ImageFiles.isImageName(Path.of("x.webp"))).isTrue();
        assertThat(ImageFiles.isImageName(Path.of("x.tiff"))).isFalse();
        assertThat(ImageFiles.isImageName(Path.of("jpg"))).isFalse();
        assertThat(ImageFiles.isImageName(Path.of(".jpg"))).isFalse();
        assertThat(ImageFiles.isImageName(Path.of("/"))).isFalse();
    }
}
