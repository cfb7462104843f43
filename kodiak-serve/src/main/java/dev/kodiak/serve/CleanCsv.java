package dev.kodiak.serve;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CsvDocument;
import dev.kodiak.data.CsvSource;
import dev.kodiak.data.CsvTable;
import dev.kodiak.data.TaskKind;
import dev.kodiak.io.AtomicFiles;
import dev.kodiak.io.DataRoot;
import dev.kodiak.io.OutsideDataRootException;
import dev.kodiak.io.SpreadsheetSafe;
import dev.kodiak.model.Manifest;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The labels CSV of a model trained with {@code kodiak train --csv}, as the cleaner reads and edits it: the columns
 * the model file records (file, targets, delimiter, split), the task that says what a target cell holds, and whether
 * the cleaner may change the file. Only a CSV that really lies inside the data folder (links followed, not in a
 * hidden folder) is edited; one outside is listed read-only, since the cleaner changes files inside the data folder
 * only. Edits go through {@link CsvDocument}, so the CSV's other columns, quoting and row order stay as they were;
 * before the first change a copy is kept as {@code NAME.kodiak-backup} beside it (once: a later session keeps the
 * first copy).
 */
public final class CleanCsv {
    /** What the backup's name adds to the CSV's. */
    public static final String BACKUP_SUFFIX = ".kodiak-backup";

    private final DataRoot root;
    private final CsvSource source;
    private final TaskKind kind;
    private final Path csv;
    private final String name;
    private final String readOnly;

    private CleanCsv(DataRoot root, CsvSource source, TaskKind kind, Path csv, String name, String readOnly) {
        this.root = root;
        this.source = source;
        this.kind = kind;
        this.csv = csv;
        this.name = name;
        this.readOnly = readOnly;
    }

    /** The CSV {@code targets} (from a model file) describes, for the data folder {@code root} and task {@code kind}. */
    public static CleanCsv of(DataRoot root, Manifest.CsvTargets targets, TaskKind kind) {
        CsvSource source = new CsvSource(Path.of(targets.file()), targets.fileColumn(), targets.labelColumns(),
                targets.labelDelimiter(), targets.validColumn());
        Path given = source.resolvedCsv(root.path());
        if (!Files.isRegularFile(given)) {
            throw new KodiakException("the model's targets come from " + given + ", which does not exist: clean the "
                    + "data folder the model was trained on (or put its CSV back there)");
        }
        Path real;
        String readOnly = null;
        String name;
        try {
            real = root.resolve(given);
            name = root.relative(real);
            if (name.startsWith(".") || name.contains("/.")) {
                readOnly = "the CSV " + real + " is in a hidden folder of the data folder";
            }
        } catch (OutsideDataRootException e) {
            real = given.toAbsolutePath().normalize();
            name = real.toString();
            readOnly = "the CSV " + real + " lies outside the data folder " + root.path();
        }
        if (readOnly != null) {
            readOnly += ", so the cleaner only shows its items and changes nothing (to clean, copy the data folder "
                    + "and its CSV into one folder and train with --csv pointing inside it)";
        }
        return new CleanCsv(root, source, kind, real, name, readOnly);
    }

    /** The task a target cell is read for. */
    public TaskKind kind() {
        return kind;
    }

    /** The CSV's path relative to the data folder ({@code /} separators), or absolute when it lies outside. */
    public String name() {
        return name;
    }

    /** The CSV file (its real path when inside the data folder). */
    public Path file() {
        return csv;
    }

    /** Where the copy made before the first change is kept. */
    public Path backup() {
        return csv.resolveSibling(csv.getFileName() + BACKUP_SUFFIX);
    }

    /** The delimiter of a multi-label column, or null. */
    public String labelDelimiter() {
        return source.labelDelimiter();
    }

    /** True when the cleaner may change the CSV. */
    public boolean editable() {
        return readOnly == null;
    }

    /** Why the CSV is read-only, or null when it is editable. */
    public String readOnlyReason() {
        return readOnly;
    }

    /** @throws ApiError 409 saying why, when the CSV is read-only */
    void requireEditable() {
        if (readOnly != null) {
            throw new ApiError(409, "refusing to change anything: " + readOnly);
        }
    }

    /** The CSV's rows as training reads them now; bad rows are left out rather than stopping the cleaner. */
    public CsvTable table() {
        return CsvTable.read(source, root.path(), true).checkedFor(kind, true);
    }

    /** The CSV's text as written, for an edit. */
    CsvDocument document() {
        return CsvDocument.read(csv);
    }

    /** Index of the file column in {@code doc}'s header. */
    int fileColumn(CsvDocument doc) {
        return source.fileColumn() == null ? 0 : column(doc, source.fileColumn());
    }

    /** Indices of the target columns in {@code doc}'s header. */
    List<Integer> targetColumns(CsvDocument doc) {
        if (source.labelColumns().isEmpty()) {
            return List.of(1);
        }
        return source.labelColumns().stream().map(c -> column(doc, c)).toList();
    }

    /** The record of {@code doc} whose file cell names {@code file} (a real path inside the data folder); -1 if none. */
    int recordOf(CsvDocument doc, Path file) {
        int column = fileColumn(doc);
        for (int r = 1; r < doc.size(); r++) {
            String cell = doc.value(r, column).trim();
            if (cell.isEmpty()) {
                continue;
            }
            try {
                if (root.resolve(cell).equals(file)) {
                    return r;
                }
            } catch (OutsideDataRootException e) {
                // a row naming a file outside: never this one
            }
        }
        return -1;
    }

    /** The target cells of record {@code r}, trimmed. */
    List<String> targets(CsvDocument doc, int r) {
        return targetColumns(doc).stream().map(c -> doc.value(r, c).trim()).toList();
    }

    /** Sets the target cells of record {@code r}. */
    void setTargets(CsvDocument doc, int r, List<String> cells) {
        List<Integer> columns = targetColumns(doc);
        for (int i = 0; i < columns.size(); i++) {
            doc.set(r, columns.get(i), cells.get(i));
        }
    }

    /** Copies the CSV to {@link #backup()} unless a copy is there already, then writes {@code doc} over it atomically. */
    void write(CsvDocument doc) {
        Path backup = backup();
        if (!Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
            Path tmp = null;
            try {
                tmp = Files.createTempFile(csv.getParent(), "." + backup.getFileName(), ".tmp");
                Files.copy(csv, tmp, StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.move(tmp, backup);
            } catch (IOException e) {
                AtomicFiles.deleteQuietly(tmp);
                throw new KodiakException("cannot keep a copy of " + csv + " as " + backup + " before changing it: "
                        + e.getMessage() + "; nothing was changed", e);
            }
        }
        doc.write(csv);
    }

    /** The target cells for a single-label item labelled {@code label}. */
    public List<String> singleLabel(String label) {
        requireKind(TaskKind.SINGLE_LABEL);
        return List.of(checkedLabel(label));
    }

    /** The target cell for a multi-label item with {@code labels} (possibly none), joined with the delimiter. */
    public List<String> multiLabel(List<String> labels) {
        requireKind(TaskKind.MULTI_LABEL);
        String delimiter = source.labelDelimiter() == null ? " " : source.labelDelimiter();
        Set<String> set = new LinkedHashSet<>();
        for (String l : labels) {
            String label = checkedLabel(l);
            if (label.contains(delimiter)) {
                throw new ApiError(400, "the label '" + label + "' holds the CSV's label delimiter '" + delimiter + "'");
            }
            set.add(label);
        }
        return List.of(String.join(delimiter, set));
    }

    /** The target cells for a regression item: one number per target column, written as short as it reads back. */
    public List<String> regression(List<String> columns, Map<String, Double> values) {
        requireKind(TaskKind.REGRESSION);
        List<String> cells = new ArrayList<>();
        for (String c : columns) {
            Double v = values.get(c);
            if (v == null || !Double.isFinite(v)) {
                throw new ApiError(400, "the target '" + c + "' needs a finite number (got " + v + "); the targets are "
                        + columns);
            }
            cells.add(BigDecimal.valueOf(v).stripTrailingZeros().toPlainString());
        }
        if (values.size() != columns.size()) {
            throw new ApiError(400, "unknown targets in " + values.keySet() + "; the targets are " + columns);
        }
        return cells;
    }

    private void requireKind(TaskKind wanted) {
        if (kind != wanted) {
            throw new ApiError(400, "this is a " + kind + " model: send "
                    + switch (kind) {
                        case SINGLE_LABEL -> "'label' (one label)";
                        case MULTI_LABEL -> "'labels' (a list of labels)";
                        case REGRESSION -> "'values' (one number per target)";
                    } + ", not a " + wanted + " target");
        }
    }

    // A label must read back from the CSV as itself.
    private static String checkedLabel(String label) {
        if (label == null || label.isBlank() || !label.equals(label.strip()) || label.length() > 200
                || label.contains("\n") || label.contains("\r") || label.indexOf('\0') >= 0
                || !SpreadsheetSafe.read(label).equals(label)) {
            throw new ApiError(400, "'" + label + "' cannot be a label (blank, outer spaces, line breaks, over 200 "
                    + "characters or a leading quote are not accepted)");
        }
        return label;
    }

    private static int column(CsvDocument doc, String name) {
        for (int c = 0; c < doc.width(0); c++) {
            if (doc.value(0, c).trim().equals(name)) {
                return c;
            }
        }
        throw new KodiakException("the CSV has no column '" + name + "' any more; nothing was changed");
    }
}
