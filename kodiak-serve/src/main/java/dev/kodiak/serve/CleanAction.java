package dev.kodiak.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
/**
 * One line of {@code DATA_DIR/.kodiak-clean.log}: what the cleaner did to a file. Paths are relative to the data
 * folder, with {@code /} separators.
 *
 * @param id     1, 2, 3... in the order the actions happened
 * @param time   when (ISO-8601 UTC)
 * @param action {@code delete} (moved into {@code .quarantine/}), {@code relabel} (moved to another label's folder)
 *               or {@code undo}
 * @param file   the file the action started from (for an undo: where the file was put back)
 * @param to     where the file went (for an undo: where it was taken from)
 * @param undoes for an undo, the id of the action it reversed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CleanAction(int id, String time, String action, String file, String to, Integer undoes) {
    public static final String DELETE = "delete";
    public static final String RELABEL = "relabel";
    public static final String UNDO = "undo";

    /** E.g. {@code deleted grizzly/003.jpg}, {@code moved black/007.jpg to grizzly/007.jpg}. */
    public String describe() {
        return switch (action) {
            case DELETE -> "deleted " + file + " (moved to " + to + ")";
            case RELABEL -> "moved " + file + " to " + to;
            default -> "undid #" + undoes + ": " + file + " is back";
        };
    }
}
