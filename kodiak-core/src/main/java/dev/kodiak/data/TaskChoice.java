package dev.kodiak.data;

/**
 * Which task a CSV-described dataset is, and why — printed before training so the choice is never a surprise.
 * {@code --task auto}: a label delimiter means multi-label; a table whose every target is a number means regression;
 * anything else is single-label.
 *
 * @param kind   the task
 * @param reason the reason in words
 */
public record TaskChoice(TaskKind kind, String reason) {

    /** The task asked for ({@code null} for auto) applied to {@code table}. */
    public static TaskChoice decide(TaskKind requested, CsvTable table) {
        if (requested != null) {
            return new TaskChoice(requested, "--task " + requested.cliName());
        }
        String columns = String.join(",", table.labelColumns());
        if (table.source().labelDelimiter() != null) {
            return new TaskChoice(TaskKind.MULTI_LABEL, "--label-delim given: column " + columns + " holds label sets");
        }
        if (table.allTargetsNumeric()) {
            return new TaskChoice(TaskKind.REGRESSION, "every target in column" + (table.labelColumns().size() > 1 ? "s " : " ")
                    + columns + " is a number");
        }
        CsvRow first = table.firstNonNumeric();
        return new TaskChoice(TaskKind.SINGLE_LABEL, "column " + columns + " holds names (line " + first.line()
                + ": '" + first.targets().get(0) + "'); pass --task regression if it should be numbers");
    }

    @Override
    public String toString() {
        return kind.cliName() + " (" + reason + ")";
    }
}
