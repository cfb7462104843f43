package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a CSV-described dataset comes from, as fastai's {@code from_csv} / {@code ColReader} / {@code ColSplitter}
 * take it: the CSV file (relative to the data folder unless absolute), the column of file paths (relative to the data
 * folder), one or more target columns, an optional delimiter that makes a target column a set of labels, and an
 * optional column saying which rows are validation items. A null file column means the first column and an empty
 * list of label columns means the second, as fastai's {@code from_df}.
 *
 * @param csv            the CSV file
 * @param fileColumn     header name of the file-path column, or null for the first column
 * @param labelColumns   header names of the target columns (several: a multi-output regression), or empty for the second
 * @param labelDelimiter the delimiter of a multi-label column (e.g. a space), or null
 * @param validColumn    header name of the split column ({@code true/false/1/0/yes/no}, any case), or null
 */
public record CsvSource(Path csv, String fileColumn, List<String> labelColumns, String labelDelimiter,
                        String validColumn) {
    public CsvSource {
        if (csv == null) {
            throw new KodiakException("a CSV data source needs the CSV file");
        }
        fileColumn = blankToNull(fileColumn);
        labelColumns = labelColumns == null ? List.of()
                : labelColumns.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        validColumn = blankToNull(validColumn);
        if (labelDelimiter != null && labelDelimiter.isEmpty()) {
            throw new KodiakException("--label-delim must not be empty (use \" \" for space-separated labels)");
        }
        if (labelDelimiter != null && labelColumns.size() > 1) {
            throw new KodiakException("--label-delim reads one column of delimited labels, but "
                    + labelColumns.size() + " label columns were given (" + String.join(",", labelColumns) + ")");
        }
        if (fileColumn != null && labelColumns.contains(fileColumn)) {
            throw new KodiakException("column '" + fileColumn + "' cannot be both the file column and a label column");
        }
        if (validColumn != null && (validColumn.equals(fileColumn) || labelColumns.contains(validColumn))) {
            throw new KodiakException("column '" + validColumn + "' cannot be both the split column and a file or label column");
        }
    }

    /** A source reading the first column as files and the second as labels, with no split column. */
    public static CsvSource of(Path csv) {
        return new CsvSource(csv, null, List.of(), null, null);
    }

    /** The CSV's path, resolved against {@code dataDir} when relative. */
    public Path resolvedCsv(Path dataDir) {
        return csv.isAbsolute() ? csv : dataDir.resolve(csv);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
