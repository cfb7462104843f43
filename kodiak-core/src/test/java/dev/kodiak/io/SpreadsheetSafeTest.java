package dev.kodiak.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadsheetSafeTest {
    @Test
    void cellsStartingWithAFormulaCharacterGetAQuoteInFront() {
        assertThat(SpreadsheetSafe.cell("=HYPERLINK(\"http://evil\",\"x\")")).isEqualTo("'=HYPERLINK(\"http://evil\",\"x\")");
        assertThat(SpreadsheetSafe.cell("+1+cmd|' /C calc'!A0")).isEqualTo("'+1+cmd|' /C calc'!A0");
        assertThat(SpreadsheetSafe.cell("-2+3")).isEqualTo("'-2+3");
        assertThat(SpreadsheetSafe.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(SpreadsheetSafe.cell("\t=1")).isEqualTo("'\t=1");
        assertThat(SpreadsheetSafe.cell("\r=1")).isEqualTo("'\r=1");
        assertThat(SpreadsheetSafe.cell("https://example.org/a=b")).isEqualTo("https://example.org/a=b");
        assertThat(SpreadsheetSafe.cell("Jane Doe")).isEqualTo("Jane Doe");
        assertThat(SpreadsheetSafe.cell("")).isEmpty();
        assertThat(SpreadsheetSafe.cell(null)).isNull();
    }

    @Test
    void readUndoesCellExactly() {
        for (String v : List.of("=1", "'=1", "''=1", "'", "''", "'plain", "plain", "", "-", "@", "a=b", "'-x", " =1")) {
            assertThat(SpreadsheetSafe.read(SpreadsheetSafe.cell(v))).as(v).isEqualTo(v);
        }
        assertThat(SpreadsheetSafe.cell("'=1")).isEqualTo("''=1");
        assertThat(SpreadsheetSafe.read("'plain")).isEqualTo("'plain");
    }
}
