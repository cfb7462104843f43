package dev.kodiak.data;

import java.nio.file.Path;
import java.util.List;

/**
 * One item of a CSV-described dataset.
 *
 * @param line     the row's line number in the CSV (the header is line 1), for messages
 * @param fileCell the file column as written in the CSV
 * @param file     that file, resolved inside the data folder
 * @param targets  the target cells, trimmed, one per label column
 * @param valid    the split column's value, or null when there is no split column
 */
public record CsvRow(int line, String fileCell, Path file, List<String> targets, Boolean valid) {
    public CsvRow {
        targets = List.copyOf(targets);
    }
}
