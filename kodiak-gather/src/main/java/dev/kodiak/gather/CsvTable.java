package dev.kodiak.gather;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.kodiak.KodiakException;
import dev.kodiak.io.SpreadsheetSafe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Internal: a CSV file with a fixed header that rows are appended to one at a time (crash-safe enough to resume). Its
 * values come from outside (search results, URLs), so each is written {@link SpreadsheetSafe spreadsheet-safe} (no
 * formula runs when {@code sources.csv} is opened in a spreadsheet) and read back as it was.
 */
final class CsvTable {
    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(com.fasterxml.jackson.dataformat.csv.CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private final Path file;
    private final List<String> columns;
    private final CsvSchema schema;

    CsvTable(Path file, List<String> columns) {
        this.file = file;
        this.columns = List.copyOf(columns);
        CsvSchema.Builder b = CsvSchema.builder();
        columns.forEach(b::addColumn);
        this.schema = b.build();
    }

    Path file() {
        return file;
    }

    /** Every row, as column → value ("" for missing); empty when the file does not exist. */
    List<Map<String, String>> read() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<Map<String, String>> out = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows =
                     CSV.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            while (rows.hasNext()) {
                Map<String, String> row = new LinkedHashMap<>();
                rows.next().forEach((k, v) -> row.put(k, SpreadsheetSafe.read(v)));
                out.add(row);
            }
        } catch (IOException | RuntimeException e) {
            throw new KodiakException("cannot read " + file + ": " + e.getMessage()
                    + " (it is written by kodiak gather; fix or remove the broken line)", e);
        }
        return out;
    }

    /** Appends one row (columns in the table's order), writing the header first when the file is new. */
    synchronized void append(Map<String, String> row) {
        Map<String, String> safe = new LinkedHashMap<>();
        row.forEach((k, v) -> safe.put(k, SpreadsheetSafe.cell(v)));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            String text = (fresh ? String.join(",", columns) + "\n" : "") + CSV.writer(schema).writeValueAsString(safe);
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new KodiakException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
