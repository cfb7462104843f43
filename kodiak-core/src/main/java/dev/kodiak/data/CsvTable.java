package dev.kodiak.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.kodiak.KodiakException;
import dev.kodiak.io.DataRoot;
import dev.kodiak.io.OutsideDataRootException;
import dev.kodiak.io.SpreadsheetSafe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CSV-described dataset, read and checked row by row: the items, their targets and (optionally) their split.
 * Every problem names the CSV and the line. Read strictly, the first bad row is an error (with how many more there
 * are); with {@code skipBad} bad rows are left out and listed in {@link #skipped()}.
 */
public final class CsvTable {
    private static final Set<String> TRUE = Set.of("true", "1", "yes");
    private static final Set<String> FALSE = Set.of("false", "0", "no");

    private final CsvSource source;
    private final Path csv;
    private final String fileColumn;
    private final List<String> labelColumns;
    private final List<CsvRow> rows;
    private final List<CsvBadRow> skipped;

    private CsvTable(CsvSource source, Path csv, String fileColumn, List<String> labelColumns, List<CsvRow> rows,
                     List<CsvBadRow> skipped) {
        this.source = source;
        this.csv = csv;
        this.fileColumn = fileColumn;
        this.labelColumns = List.copyOf(labelColumns);
        this.rows = List.copyOf(rows);
        this.skipped = List.copyOf(skipped);
    }

    /** Reads {@code source}'s CSV; files are resolved inside {@code dataDir}. */
    public static CsvTable read(CsvSource source, Path dataDir, boolean skipBad) {
        DataRoot root = DataRoot.of(dataDir);
        Path csv = source.resolvedCsv(root.path());
        if (!Files.isRegularFile(csv)) {
            throw new KodiakException("the CSV file " + csv + " does not exist (a relative --csv is read inside the data folder "
                    + root.path() + ")");
        }
        List<List<String>> raw = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try (MappingIterator<List<String>> it = new CsvMapper().readerForListOf(String.class)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(csv.toFile())) {
            while (it.hasNextValue()) {
                int line = it.getCurrentLocation().getLineNr();
                List<String> cells = it.nextValue();
                if (cells.size() == 1 && cells.get(0).isBlank()) {
                    continue; // a blank line
                }
                raw.add(cells);
                lines.add(line);
            }
        } catch (IOException | RuntimeException e) {
            throw new KodiakException("cannot read the CSV file " + csv + ": " + e.getMessage(), e);
        }
        if (raw.isEmpty()) {
            throw new KodiakException("the CSV file " + csv + " is empty: it needs a header row and one row per item");
        }
        List<String> header = raw.get(0).stream().map(String::trim).toList();
        Map<String, Integer> columns = columns(csv, header);
        String fileColumn = source.fileColumn() != null ? source.fileColumn() : header.get(0);
        List<String> labelColumns = source.labelColumns();
        if (labelColumns.isEmpty()) {
            if (header.size() < 2) {
                throw new KodiakException(csv + " has one column (" + header.get(0)
                        + "): it needs a column of files and a column of targets");
            }
            labelColumns = List.of(header.get(1));
        }
        int fileIndex = column(csv, columns, fileColumn, "--file-col");
        List<Integer> labelIndices = new ArrayList<>();
        for (String c : labelColumns) {
            labelIndices.add(column(csv, columns, c, "--label-col"));
        }
        Integer validIndex = source.validColumn() == null ? null : column(csv, columns, source.validColumn(), "--valid-col");

        List<CsvRow> rows = new ArrayList<>();
        List<CsvBadRow> bad = new ArrayList<>();
        Map<Path, Integer> seen = new HashMap<>();
        for (int r = 1; r < raw.size(); r++) {
            int line = lines.get(r);
            List<String> cells = raw.get(r);
            String problem = null;
            Path file = null;
            String fileCell = cell(cells, fileIndex);
            List<String> targets = new ArrayList<>();
            Boolean valid = null;
            if (cells.size() > header.size()) {
                problem = "it has " + cells.size() + " cells but the header has " + header.size();
            } else if (fileCell.isEmpty()) {
                problem = "column '" + fileColumn + "' is empty";
            } else {
                try {
                    file = root.resolve(fileCell);
                    if (!Files.isRegularFile(file)) {
                        problem = "file " + fileCell + " does not exist in " + root.path();
                    } else if (seen.containsKey(file)) {
                        problem = "file " + fileCell + " is listed again (first on line " + seen.get(file) + ")";
                    }
                } catch (OutsideDataRootException e) {
                    problem = e.getMessage();
                }
            }
            for (int i = 0; problem == null && i < labelIndices.size(); i++) {
                String target = SpreadsheetSafe.read(cell(cells, labelIndices.get(i)));
                if (target.isEmpty() && source.labelDelimiter() == null) {
                    problem = "column '" + labelColumns.get(i) + "' is empty";
                }
                targets.add(target);
            }
            if (problem == null && validIndex != null) {
                String v = cell(cells, validIndex).toLowerCase(Locale.ROOT);
                if (TRUE.contains(v)) {
                    valid = true;
                } else if (FALSE.contains(v)) {
                    valid = false;
                } else {
                    problem = "column '" + source.validColumn() + "' says '" + cell(cells, validIndex)
                            + "': use true/false, 1/0 or yes/no";
                }
            }
            if (problem != null) {
                bad.add(new CsvBadRow(line, problem));
            } else {
                seen.put(file, line);
                rows.add(new CsvRow(line, fileCell, file, targets, valid));
            }
        }
        CsvTable table = new CsvTable(source, csv, fileColumn, labelColumns, rows, bad);
        return table.strictOrSkipping(skipBad);
    }

    /**
     * This table checked for a task: regression targets must be finite numbers. Bad rows are left out with
     * {@code skipBad}, otherwise the first is an error.
     */
    public CsvTable checkedFor(TaskKind kind, boolean skipBad) {
        if (kind != TaskKind.REGRESSION) {
            if (labelColumns.size() > 1) {
                throw new KodiakException("several label columns (" + String.join(",", labelColumns)
                        + ") make a multi-output regression, not a " + kind + " task");
            }
            return this;
        }
        List<CsvRow> ok = new ArrayList<>();
        List<CsvBadRow> bad = new ArrayList<>(skipped);
        for (CsvRow row : rows) {
            String problem = null;
            for (int i = 0; i < row.targets().size() && problem == null; i++) {
                Double v = number(row.targets().get(i));
                if (v == null) {
                    problem = "column '" + labelColumns.get(i) + "' says '" + row.targets().get(i)
                            + "', which is not a number (regression needs a number in every target column)";
                }
            }
            if (problem == null) {
                ok.add(row);
            } else {
                bad.add(new CsvBadRow(row.line(), problem));
            }
        }
        bad.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return new CsvTable(source, csv, fileColumn, labelColumns, ok, bad).strictOrSkipping(skipBad);
    }

    /** The CSV file read. */
    public Path csv() {
        return csv;
    }

    /** The source this table was read from. */
    public CsvSource source() {
        return source;
    }

    /** The file column's header name (the first column when none was named). */
    public String fileColumn() {
        return fileColumn;
    }

    /** The target columns' header names (the second column when none was named). */
    public List<String> labelColumns() {
        return labelColumns;
    }

    /** The good rows, in CSV order. */
    public List<CsvRow> rows() {
        return rows;
    }

    /** The rows left out (only with {@code skipBad}), in CSV order. */
    public List<CsvBadRow> skipped() {
        return skipped;
    }

    /** The items' files, in CSV order. */
    public List<Path> files() {
        return rows.stream().map(CsvRow::file).toList();
    }

    /** True when every target cell is a finite number (what makes {@code --task auto} choose regression). */
    public boolean allTargetsNumeric() {
        for (CsvRow row : rows) {
            for (String t : row.targets()) {
                if (number(t) == null) {
                    return false;
                }
            }
        }
        return !rows.isEmpty();
    }

    /** The first row whose targets are not all numbers, or null; for explaining an automatic choice. */
    public CsvRow firstNonNumeric() {
        for (CsvRow row : rows) {
            for (String t : row.targets()) {
                if (number(t) == null) {
                    return row;
                }
            }
        }
        return null;
    }

    /**
     * The labeller for {@code kind}: a class name (single-label), the list of labels split at the delimiter, without
     * blanks or repeats (multi-label; possibly empty), or the numbers of the target columns (regression).
     */
    public Labeller labeller(TaskKind kind) {
        Map<Path, Object> labels = new HashMap<>();
        for (CsvRow row : rows) {
            labels.put(row.file(), label(kind, row));
        }
        String describe = "CSV " + csv.getFileName() + " column" + (labelColumns.size() > 1 ? "s " : " ")
                + String.join(",", labelColumns);
        return new ColumnLabeller(source, csv, labels, describe);
    }

    /** The labeller of a CSV table: remembers its source, so a model file can record how targets were read. */
    public static final class ColumnLabeller implements Labeller {
        private final CsvSource source;
        private final Path csv;
        private final Map<Path, Object> labels;
        private final String describe;

        private ColumnLabeller(CsvSource source, Path csv, Map<Path, Object> labels, String describe) {
            this.source = source;
            this.csv = csv;
            this.labels = labels;
            this.describe = describe;
        }

        /** Where the targets come from. */
        public CsvSource source() {
            return source;
        }

        @Override
        public Object label(Path item) {
            Object l = labels.get(item);
            if (l == null) {
                throw new KodiakException(item + " is not listed in " + csv);
            }
            return l;
        }

        @Override
        public String describe() {
            return describe;
        }
    }

    /** The split the CSV's split column gives, or null when there is no split column. */
    public Splitter splitter() {
        if (source.validColumn() == null) {
            return null;
        }
        Map<Path, Boolean> valid = new HashMap<>();
        for (CsvRow row : rows) {
            valid.put(row.file(), row.valid());
        }
        return new FunctionSplitter((i, p) -> Boolean.TRUE.equals(valid.get(p)),
                "CSV column '" + source.validColumn() + "'", 0, 0);
    }

    private Object label(TaskKind kind, CsvRow row) {
        return switch (kind) {
            case SINGLE_LABEL -> row.targets().get(0);
            case MULTI_LABEL -> {
                String cellValue = row.targets().get(0);
                String[] parts = source.labelDelimiter() == null ? new String[] {cellValue}
                        : cellValue.split(Pattern.quote(source.labelDelimiter()));
                Set<String> names = new LinkedHashSet<>();
                for (String p : parts) {
                    if (!p.isBlank()) {
                        names.add(p.trim());
                    }
                }
                yield List.copyOf(names);
            }
            case REGRESSION -> {
                double[] values = new double[row.targets().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = number(row.targets().get(i));
                }
                yield values;
            }
        };
    }

    private CsvTable strictOrSkipping(boolean skipBad) {
        if (!skipped.isEmpty() && !skipBad) {
            CsvBadRow first = skipped.get(0);
            throw new KodiakException(csv + " line " + first.line() + ": " + first.reason()
                    + (skipped.size() > 1 ? " (and " + (skipped.size() - 1) + " more bad row"
                    + (skipped.size() > 2 ? "s" : "") + ")" : "")
                    + "; fix the CSV, or pass --skip-bad to leave bad rows out");
        }
        if (rows.isEmpty()) {
            throw new KodiakException(csv + " has no usable rows"
                    + (skipped.isEmpty() ? ": it has a header but no items" : " (" + skipped.size() + " bad rows left out)"));
        }
        return this;
    }

    private static Map<String, Integer> columns(Path csv, List<String> header) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).isEmpty()) {
                throw new KodiakException(csv + " line 1: column " + (i + 1) + " of the header has no name");
            }
            if (columns.putIfAbsent(header.get(i), i) != null) {
                throw new KodiakException(csv + " line 1: the header names column '" + header.get(i) + "' twice");
            }
        }
        return columns;
    }

    private static int column(Path csv, Map<String, Integer> columns, String name, String flag) {
        Integer i = columns.get(name);
        if (i == null) {
            throw new KodiakException(csv + " has no column '" + name + "' (" + flag + "); its columns are "
                    + String.join(", ", columns.keySet()));
        }
        return i;
    }

    private static String cell(List<String> cells, int index) {
        return index < cells.size() && cells.get(index) != null ? cells.get(index).trim() : "";
    }

    private static Double number(String s) {
        try {
            double v = Double.parseDouble(s.trim());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
