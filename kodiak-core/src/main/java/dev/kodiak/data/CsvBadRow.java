package dev.kodiak.data;

/**
 * A CSV row that cannot become an item, and why.
 *
 * @param line   its line number in the CSV (the header is line 1)
 * @param reason what is wrong with it, in words
 */
public record CsvBadRow(int line, String reason) {
    @Override
    public String toString() {
        return "line " + line + ": " + reason;
    }
}
