package dev.kodiak.gather;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTableTest {
    @TempDir
    Path dir;

    @Test
    void valuesAreWrittenSpreadsheetSafeWithCsvQuotingAndReadBackAsTheyWere() throws IOException {
        CsvTable table = new CsvTable(dir.resolve("t.csv"), List.of("a", "b", "c", "d"));
        Map<String, String> row = new LinkedHashMap<>();
        row.put("a", "=HYPERLINK(\"http://evil\",\"click\")");
        row.put("b", "'=already quoted");
        row.put("c", "\t-1");
        row.put("d", "plain, with a comma");
        table.append(row);
        assertThat(Files.readString(dir.resolve("t.csv"))).isEqualTo("a,b,c,d\n"
                + "\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",''=already quoted,'\t-1,\"plain, with a comma\"\n");
        assertThat(table.read()).containsExactly(row);
    }
}
