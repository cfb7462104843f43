package dev.kodiak.data;

import dev.kodiak.KodiakException;
import dev.kodiak.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file held as written, for editing a few cells of a labels CSV ({@code kodiak clean}) without disturbing the
 * rest: every record keeps its own text (quoting, spacing, line ending) unless one of its cells is changed, and only
 * the changed cell is written anew (quoted when it was quoted before or must be). Records keep their order. Comma
 * separated, RFC 4180 quoting (a quoted cell may hold commas, doubled quotes and line breaks), as {@link CsvTable}
 * reads. Record 0 is the header. Not thread-safe.
 */
public final class CsvDocument {
    private final List<Record> records;

    // A record: its cells as written (quotes included) and the line ending that closed it ("" for a last line without).
    private record Record(List<String> raw, String end) {
        String text() {
            return String.join(",", raw) + end;
        }
    }

    private CsvDocument(List<Record> records) {
        this.records = records;
    }

    /** Reads {@code csv} (UTF-8). */
    public static CsvDocument read(Path csv) {
        try {
            return parse(Files.readString(csv, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new KodiakException("cannot read the CSV file " + csv + ": " + e.getMessage(), e);
        }
    }

    /** The document {@code text} holds. */
    public static CsvDocument parse(String text) {
        List<Record> records = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            List<String> raw = new ArrayList<>();
            int start = i;
            boolean quoted = false;
            String end = "";
            while (i < n) {
                char c = text.charAt(i);
                if (c == '"') {
                    quoted = !quoted; // a doubled quote toggles twice
                } else if (!quoted && c == ',') {
                    raw.add(text.substring(start, i));
                    start = i + 1;
                } else if (!quoted && (c == '\n' || c == '\r')) {
                    end = c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? "\r\n" : String.valueOf(c);
                    break;
                }
                i++;
            }
            raw.add(text.substring(start, i));
            i += end.length();
            records.add(new Record(raw, end));
        }
        return new CsvDocument(records);
    }

    /** The number of records, the header included (blank lines count as records of one empty cell). */
    public int size() {
        return records.size();
    }

    /** The number of cells record {@code index} has. */
    public int width(int index) {
        return records.get(index).raw().size();
    }

    /** The value of cell {@code column} of record {@code index}: unquoted, not trimmed; "" past the record's end. */
    public String value(int index, int column) {
        List<String> raw = records.get(index).raw();
        return column < raw.size() ? unquote(raw.get(column)) : "";
    }

    /**
     * The first data record (index 1 or more) whose cell {@code column}, trimmed, is {@code value}; -1 when none. The
     * first, as {@link CsvTable} keeps the first of repeated rows.
     */
    public int find(int column, String value) {
        for (int r = 1; r < records.size(); r++) {
            if (value(r, column).trim().equals(value)) {
                return r;
            }
        }
        return -1;
    }

    /**
     * Sets cell {@code column} of record {@code index} to {@code value}; the other cells keep their text. The new cell
     * is quoted when the old one was, or when the value holds a comma, a quote, a line break or outer spaces.
     */
    public void set(int index, int column, String value) {
        Record r = records.get(index);
        if (column >= r.raw().size()) {
            throw new KodiakException("record " + index + " of the CSV has no column " + (column + 1));
        }
        List<String> raw = new ArrayList<>(r.raw());
        boolean wasQuoted = raw.get(column).trim().startsWith("\"");
        raw.set(column, wasQuoted || needsQuotes(value) ? "\"" + value.replace("\"", "\"\"") + "\"" : value);
        records.set(index, new Record(List.copyOf(raw), r.end()));
    }

    /** The text of record {@code index} as written, line ending included. */
    public String text(int index) {
        return records.get(index).text();
    }

    /** Removes record {@code index} (not the header) and returns its text, for {@link #insert} to put back. */
    public String remove(int index) {
        if (index < 1) {
            throw new KodiakException("the CSV's header cannot be removed");
        }
        String text = text(index);
        records.remove(index);
        return text;
    }

    /**
     * Puts a record's text (from {@link #remove}) back at {@code index} (clamped to the end). A record that had no
     * line ending gets the document's, and so does the record before it when it had none.
     */
    public void insert(int index, String recordText) {
        List<Record> parsed = parse(recordText).records;
        if (parsed.size() != 1) {
            throw new KodiakException("not one CSV record: " + recordText.strip());
        }
        int at = Math.max(1, Math.min(index, records.size()));
        Record r = parsed.get(0);
        String eol = lineEnding();
        if (r.end().isEmpty() && at < records.size()) {
            r = new Record(r.raw(), eol);
        }
        Record before = records.get(at - 1);
        if (before.end().isEmpty()) {
            records.set(at - 1, new Record(before.raw(), eol));
        }
        records.add(at, r);
    }

    /** The whole text. */
    public String text() {
        StringBuilder s = new StringBuilder();
        for (Record r : records) {
            s.append(r.text());
        }
        return s.toString();
    }

    /** Writes the text to {@code csv} atomically (a temporary file beside it, then one rename). */
    public void write(Path csv) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(csv.toAbsolutePath().getParent(), "." + csv.getFileName(), ".tmp");
            Files.writeString(tmp, text(), StandardCharsets.UTF_8);
            AtomicFiles.move(tmp, csv);
        } catch (IOException e) {
            AtomicFiles.deleteQuietly(tmp);
            throw new KodiakException("cannot write the CSV file " + csv + ": " + e.getMessage(), e);
        }
    }

    // The line ending most records use ("\n" when none has one).
    private String lineEnding() {
        int crlf = 0;
        int lf = 0;
        for (Record r : records) {
            if (r.end().equals("\r\n")) {
                crlf++;
            } else if (r.end().equals("\n")) {
                lf++;
            }
        }
        return crlf > lf ? "\r\n" : "\n";
    }

    private static boolean needsQuotes(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
                || !value.equals(value.strip());
    }

    private static String unquote(String raw) {
        String t = raw.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            return t.substring(1, t.length() - 1).replace("\"\"", "\"");
        }
        return raw;
    }
}
