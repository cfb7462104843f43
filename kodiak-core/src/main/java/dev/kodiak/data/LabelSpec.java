package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * A labeller as a string — what the CLI's {@code --labels} takes and the model file records:
 * {@code folder} (parent folder name), {@code regex:PATTERN} (first group of PATTERN in the file name) or
 * {@code csv:FILE:COLUMN} (column COLUMN of the CSV file FILE, whose first column names the files).
 */
public record LabelSpec(String spec) {
    public LabelSpec {
        spec = spec == null || spec.isBlank() ? "folder" : spec.trim();
        if (!(spec.equals("folder") || spec.startsWith("regex:") || spec.startsWith("csv:"))) {
            throw new KodiakException("unknown --labels '" + spec + "': use folder, regex:PATTERN or csv:FILE:COLUMN");
        }
    }

    public static LabelSpec folder() {
        return new LabelSpec("folder");
    }

    /** The labeller; a relative CSV path is resolved against {@code dir}, then the working directory. */
    public Labeller toLabeller(Path dir) {
        if (spec.equals("folder")) {
            return Labels.parentFolder();
        }
        if (spec.startsWith("regex:")) {
            return Labels.regex(spec.substring("regex:".length()));
        }
        return csv(dir);
    }

    /**
     * How items are found: the CSV's listed files for {@code csv:}, otherwise {@code finder} (e.g. all images
     * under the folder).
     */
    public Function<Path, List<Path>> items(Function<Path, List<Path>> finder) {
        if (spec.startsWith("csv:")) {
            return dir -> csv(dir).files();
        }
        return finder;
    }

    private CsvLabels csv(Path dir) {
        String rest = spec.substring("csv:".length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new KodiakException("--labels csv needs a file and a column: csv:FILE:COLUMN, got '" + spec + "'");
        }
        Path file = Path.of(rest.substring(0, colon));
        if (!file.isAbsolute() && java.nio.file.Files.exists(dir.resolve(file))) {
            file = dir.resolve(file);
        }
        String column = rest.substring(colon + 1);
        String fileColumn = CsvLabels.firstColumn(file);
        return Labels.csvColumn(file, fileColumn, column);
    }
}
