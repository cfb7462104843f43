package dev.kodiak.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDocumentTest {
    @TempDir
    Path dir;

    @Test
    void changingOneCellKeepsEveryOtherByteAndCsvTableReadsTheNewValue() throws IOException {
        Files.createDirectories(dir.resolve("img"));
        for (String f : List.of("a.png", "b, c.png", "d.png")) {
            Files.write(dir.resolve("img").resolve(f), new byte[] {1});
        }
        String text = "file,tags,note,is_valid\r\n"
                + "img/a.png,cat dog,\"said \"\"hi\"\"\",no\r\n"
                + "\"img/b, c.png\",\"bird\",\"two\nlines\",YES\r\n"
                + "img/d.png,cat,plain,0"; // no line ending at the end
        Path csv = dir.resolve("labels.csv");
        Files.writeString(csv, text);

        CsvDocument doc = CsvDocument.read(csv);
        assertThat(doc.size()).isEqualTo(4);
        assertThat(doc.value(2, 0)).isEqualTo("img/b, c.png");
        assertThat(doc.value(2, 2)).isEqualTo("two\nlines");
        assertThat(doc.find(0, "img/b, c.png")).isEqualTo(2);
        assertThat(doc.find(0, "img/zzz.png")).isEqualTo(-1);

        doc.set(2, 1, "bird \"x\"");  // was quoted: stays quoted, inner quotes doubled
        doc.set(1, 1, "cat, dog");    // needs quotes now
        doc.set(3, 1, "fish");
        doc.write(csv);
        assertThat(Files.readString(csv)).isEqualTo("file,tags,note,is_valid\r\n"
                + "img/a.png,\"cat, dog\",\"said \"\"hi\"\"\",no\r\n"
                + "\"img/b, c.png\",\"bird \"\"x\"\"\",\"two\nlines\",YES\r\n"
                + "img/d.png,fish,plain,0");

        CsvTable t = CsvTable.read(new CsvSource(Path.of("labels.csv"), "file", List.of("tags"), null, "is_valid"),
                dir, false);
        assertThat(t.rows()).extracting(r -> r.targets().get(0)).containsExactly("cat, dog", "bird \"x\"", "fish");
        assertThat(t.rows()).extracting(CsvRow::valid).containsExactly(false, true, false);
    }

    @Test
    void aRemovedRecordGoesBackWhereItWasWithItsOwnText() {
        String text = "file,size\na.png,  1.5\n\"b.png\",2\nc.png,3";
        CsvDocument doc = CsvDocument.parse(text);
        String removed = doc.remove(2);
        assertThat(removed).isEqualTo("\"b.png\",2\n");
        assertThat(doc.text()).isEqualTo("file,size\na.png,  1.5\nc.png,3");
        doc.insert(2, removed);
        assertThat(doc.text()).isEqualTo(text);

        String last = doc.remove(3); // the last record, without a line ending
        assertThat(doc.text()).isEqualTo("file,size\na.png,  1.5\n\"b.png\",2\n");
        doc.insert(3, last);
        assertThat(doc.text()).isEqualTo(text);
        doc.remove(3);
        doc.insert(1, last); // moved first: it needs a line ending now
        assertThat(doc.text()).isEqualTo("file,size\nc.png,3\na.png,  1.5\n\"b.png\",2\n");
    }

    @Test
    void writingReplacesTheFileInOneStepAndLeavesNoTemporaryFile() throws IOException {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "file,label\nä.png,ours\n", StandardCharsets.UTF_8);
        CsvDocument doc = CsvDocument.read(csv);
        doc.set(1, 1, "théirs");
        doc.write(csv);
        assertThat(Files.readString(csv, StandardCharsets.UTF_8)).isEqualTo("file,label\nä.png,théirs\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("t.csv");
        }
    }
}
