package dev.kodiak.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One line of {@code DATA_DIR/.kodiak-clean.log}: what the cleaner did to a file. Paths are relative to the data
 * folder, with {@code /} separators. On CSV-labelled data ({@code csv} set) a relabel changes the file's row in the
 * CSV instead of moving the file, and a delete also takes its row out of the CSV.
 *
 * @param id     1, 2, 3... in the order the actions happened
 * @param time   when (ISO-8601 UTC)
 * @param action {@code delete} (moved into {@code .quarantine/}), {@code relabel} (moved to another label's folder,
 *               or its targets changed in the CSV) or {@code undo}
 * @param file   the file the action started from (for an undo: where the file was put back)
 * @param to     where the file went (for an undo: where it was taken from); null for a CSV relabel
 * @param undoes for an undo, the id of the action it reversed
 * @param csv    the labels CSV the action changed (relative to the data folder), or null on folder-labelled data
 * @param row    the CSV record the action changed (1 = the first after the header), or null
 * @param record the file's CSV record as it was written before the action (a delete's row, a relabel's row before),
 *               for an undo to put back exactly; null on folder-labelled data
 * @param before a CSV relabel's target cells before (one per target column), or null
 * @param after  a CSV relabel's target cells after, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CleanAction(int id, String time, String action, String file, String to, Integer undoes, String csv,
                          Integer row, String record, List<String> before, List<String> after) {
    public static final String DELETE = "delete";
    public static final String RELABEL = "relabel";
    public static final String UNDO = "undo";

    /** An action on folder-labelled data. */
    public CleanAction(int id, String time, String action, String file, String to, Integer undoes) {
        this(id, time, action, file, to, undoes, null, null, null, null, null);
    }

    /**
     * E.g. {@code deleted grizzly/003.jpg}, {@code moved black/007.jpg to grizzly/007.jpg}, {@code relabelled
     * img/7.png in labels.csv: cat → dog}.
     */
    public String describe() {
        return switch (action) {
            case DELETE -> "deleted " + file + " (moved to " + to + (csv == null ? "" : ", its row removed from " + csv) + ")";
            case RELABEL -> csv == null ? "moved " + file + " to " + to
                    : "relabelled " + file + " in " + csv + ": " + cells(before) + " → " + cells(after);
            default -> "undid #" + undoes + ": " + file + " is back" + (csv == null ? "" : " in " + csv);
        };
    }

    // A multi-label cell may be empty (no label): say so rather than print nothing.
    private static String cells(List<String> cells) {
        String s = cells == null ? "" : String.join(", ", cells);
        return s.isBlank() ? "(none)" : s;
    }
}
