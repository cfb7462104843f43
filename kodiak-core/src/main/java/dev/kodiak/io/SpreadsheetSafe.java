package dev.kodiak.io;

/**
 * Keeps outside text (a search result's title, a creator's name, a URL) written into a report CSV from being run as a
 * formula when the CSV is opened in a spreadsheet: as OWASP recommends against CSV injection, a cell starting with
 * {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return gets a single quote in front ({@code '=1+1}),
 * which spreadsheets show as text. CSV quoting itself stays the CSV writer's job.
 *
 * <p>{@link #read} undoes {@link #cell} exactly, so files Kodiak reads back still round-trip: a value that already
 * starts with quotes followed by one of those characters gets one more quote. Not for CSVs whose values are data other
 * programs read as is (label CSVs, {@code quarantine.csv}).
 */
public final class SpreadsheetSafe {
    private SpreadsheetSafe() {
    }

    /** {@code value} as a cell a spreadsheet will not evaluate (null stays null). */
    public static String cell(String value) {
        return value != null && needsQuote(value) ? "'" + value : value;
    }

    /** The value {@link #cell} was given, from what it returned. */
    public static String read(String cell) {
        return cell != null && cell.startsWith("'") && needsQuote(cell.substring(1)) ? cell.substring(1) : cell;
    }

    // A formula trigger, possibly behind quotes this class added (so that read can tell them from the value's own).
    private static boolean needsQuote(String value) {
        int i = 0;
        while (i < value.length() && value.charAt(i) == '\'') {
            i++;
        }
        if (i == value.length()) {
            return false;
        }
        char c = value.charAt(i);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    }
}
