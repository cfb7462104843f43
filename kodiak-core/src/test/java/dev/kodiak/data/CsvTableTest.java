package dev.kodiak.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir
    Path dir;

    @BeforeEach
    void files() throws IOException {
        Files.createDirectories(dir.resolve("img"));
        for (String f : List.of("a.png", "b.png", "c.png", "d.png")) {
            Files.write(dir.resolve("img").resolve(f), new byte[] {1});
        }
    }

    private CsvTable read(String csv, CsvSource source, boolean skipBad) throws IOException {
        Files.writeString(dir.resolve("labels.csv"), csv);
        return CsvTable.read(source, dir, skipBad);
    }

    private static CsvSource source(String file, List<String> labels, String delim, String valid) {
        return new CsvSource(Path.of("labels.csv"), file, labels, delim, valid);
    }

    @Test
    void firstAndSecondColumnsByDefaultAsFastaiFromDf() throws IOException {
        CsvTable t = read("name,kind,x\nimg/a.png,cat,1\nimg/b.png,dog,2\n", CsvSource.of(Path.of("labels.csv")), false);
        assertThat(t.fileColumn()).isEqualTo("name");
        assertThat(t.labelColumns()).containsExactly("kind");
        assertThat(t.files()).containsExactly(dir.resolve("img/a.png").toRealPath(), dir.resolve("img/b.png").toRealPath());
        TaskChoice c = TaskChoice.decide(null, t);
        assertThat(c.kind()).isEqualTo(TaskKind.SINGLE_LABEL);
        assertThat(c.reason()).contains("line 2").contains("'cat'");
        assertThat(t.labeller(c.kind()).label(t.files().get(1))).isEqualTo("dog");
        assertThat(t.splitter()).isNull();
    }

    @Test
    void numbersInSeveralColumnsAreAMultiOutputRegression() throws IOException {
        CsvTable t = read("file,w,h,split\nimg/a.png,1.5,2,no\nimg/b.png,-3,4e1,YES\n",
                source("file", List.of("w", "h"), null, "split"), false);
        TaskChoice c = TaskChoice.decide(null, t);
        assertThat(c.kind()).isEqualTo(TaskKind.REGRESSION);
        CsvTable checked = t.checkedFor(c.kind(), false);
        assertThat((double[]) checked.labeller(TaskKind.REGRESSION).label(t.files().get(1))).containsExactly(-3, 40);
        Split s = checked.splitter().split(checked.files(), null);
        assertThat(s.train()).containsExactly(0);
        assertThat(s.valid()).containsExactly(1);
    }

    @Test
    void aDelimiterMakesLabelSetsAndAnEmptySetIsAllowed() throws IOException {
        CsvTable t = read("file,tags\nimg/a.png,cat dog  cat\nimg/b.png,\n", source(null, List.of(), " ", null), false);
        TaskChoice c = TaskChoice.decide(null, t);
        assertThat(c.kind()).isEqualTo(TaskKind.MULTI_LABEL);
        Labeller l = t.labeller(c.kind());
        assertThat(l.label(t.files().get(0))).isEqualTo(List.of("cat", "dog"));
        assertThat(l.label(t.files().get(1))).isEqualTo(List.of());
    }

    @Test
    void everyBadRowIsNamedByItsLine() throws IOException {
        String csv = "file,label,valid\n"
                + "img/a.png,cat,true\n"      // line 2 ok
                + "img/missing.png,cat,true\n" // line 3 missing
                + "img/b.png,,false\n"         // line 4 empty target
                + "img/c.png,dog,maybe\n"      // line 5 bad split
                + "img/a.png,dog,false\n"      // line 6 duplicate
                + "../outside.png,dog,false\n" // line 7 outside the data folder
                + "img/d.png,dog,0\n";         // line 8 ok
        assertThatThrownBy(() -> read(csv, source("file", List.of("label"), null, "valid"), false))
                .isInstanceOf(KodiakException.class)
                .hasMessageContaining("labels.csv line 3: file img/missing.png does not exist")
                .hasMessageContaining("and 4 more bad rows").hasMessageContaining("--skip-bad");
        CsvTable t = read(csv, source("file", List.of("label"), null, "valid"), true);
        assertThat(t.rows()).extracting(CsvRow::line).containsExactly(2, 8);
        assertThat(t.skipped()).extracting(CsvBadRow::line).containsExactly(3, 4, 5, 6, 7);
        assertThat(t.skipped().get(1).reason()).contains("column 'label' is empty");
        assertThat(t.skipped().get(2).reason()).contains("'maybe'").contains("yes/no");
        assertThat(t.skipped().get(3).reason()).contains("first on line 2");
        assertThat(t.skipped().get(4).reason()).contains("outside the data folder");
    }

    @Test
    void regressionRefusesNonNumbersUnlessSkipping() throws IOException {
        CsvTable t = read("file,size\nimg/a.png,27.4\nimg/b.png,big\nimg/c.png,NaN\nimg/d.png,3\n",
                source(null, List.of("size"), null, null), false);
        assertThat(TaskChoice.decide(null, t).kind()).isEqualTo(TaskKind.SINGLE_LABEL);
        assertThatThrownBy(() -> t.checkedFor(TaskKind.REGRESSION, false))
                .hasMessageContaining("line 3: column 'size' says 'big', which is not a number")
                .hasMessageContaining("(and 1 more bad row);");
        CsvTable ok = t.checkedFor(TaskKind.REGRESSION, true);
        assertThat(ok.rows()).extracting(CsvRow::line).containsExactly(2, 5);
    }

    @Test
    void wrongColumnsAndEmptyFilesSayWhatExists() throws IOException {
        assertThatThrownBy(() -> read("file,label\nimg/a.png,cat\n", source("path", List.of("label"), null, null), false))
                .hasMessageContaining("no column 'path' (--file-col); its columns are file, label");
        assertThatThrownBy(() -> read("", CsvSource.of(Path.of("labels.csv")), false)).hasMessageContaining("is empty");
        assertThatThrownBy(() -> read("file,label\n", CsvSource.of(Path.of("labels.csv")), false))
                .hasMessageContaining("no usable rows");
        assertThatThrownBy(() -> CsvTable.read(CsvSource.of(Path.of("nope.csv")), dir, false))
                .hasMessageContaining("nope.csv does not exist");
        assertThatThrownBy(() -> new CsvSource(Path.of("x.csv"), null, List.of("a", "b"), " ", null))
                .hasMessageContaining("one column of delimited labels");
        assertThat(TaskKind.parse("Multi-Label")).isEqualTo(TaskKind.MULTI_LABEL);
        assertThatThrownBy(() -> TaskKind.parse("classify")).hasMessageContaining("single-label, multi-label, regression");
    }
}
