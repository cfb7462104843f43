package dev.kodiak.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {
    @Test
    void parentFolderIsTheLabel() {
        assertThat(Labels.parentFolder().label(Path.of("bears", "grizzly", "001.jpg"))).isEqualTo("grizzly");
    }

    @Test
    void regexTakesTheFirstGroupOrTheWholeMatch() {
        assertThat(Labels.regex("^(.+)_\\d+\\.jpg$").label(Path.of("pets", "great_pyrenees_12.jpg")))
                .isEqualTo("great_pyrenees");
        assertThat(Labels.regex("[a-z]+").label(Path.of("x", "cat123.png"))).isEqualTo("cat");
        assertThatThrownBy(() -> Labels.regex("^dog").label(Path.of("x", "cat.png")))
                .isInstanceOf(KodiakException.class).hasMessageContaining("does not match").hasMessageContaining("cat.png");
    }

    @Test
    void functionLabels() {
        Labeller l = Labels.function(p -> Character.isUpperCase(p.getFileName().toString().charAt(0)) ? "cat" : "dog");
        assertThat(l.label(Path.of("Abyssinian_1.jpg"))).isEqualTo("cat");
        assertThat(l.label(Path.of("beagle_1.jpg"))).isEqualTo("dog");
    }

    @Test
    void csvColumnMatchesRelativePathsAndBareNames(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, "fname,labels,is_valid\nimgs/a.jpg,cat,false\nimgs/b.jpg,\"dog, big\",true\n");
        CsvLabels labels = Labels.csvColumn(csv, "fname", "labels");
        assertThat(labels.label(dir.resolve("imgs/a.jpg"))).isEqualTo("cat");
        assertThat(labels.label(Path.of("elsewhere", "b.jpg"))).isEqualTo("dog, big");
        assertThat(labels.files()).containsExactly(dir.resolve("imgs/a.jpg").toAbsolutePath().normalize(),
                dir.resolve("imgs/b.jpg").toAbsolutePath().normalize());
        assertThat(labels.unlisted(List.of(dir.resolve("imgs/c.jpg")))).hasSize(1);
        assertThatThrownBy(() -> labels.label(dir.resolve("imgs/c.jpg"))).isInstanceOf(KodiakException.class)
                .hasMessageContaining("not listed");
    }

    @Test
    void csvErrorsNameTheFileAndColumn(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("l.csv"), "file,label\na.jpg,cat\n");
        assertThatThrownBy(() -> Labels.csvColumn(csv, "file", "species")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("no column 'species'").hasMessageContaining("l.csv");
        assertThatThrownBy(() -> Labels.csvColumn(dir.resolve("missing.csv"), "a", "b"))
                .isInstanceOf(KodiakException.class).hasMessageContaining("does not exist");
    }
}
