package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The ways to label items, as fastai names them. */
public final class Labels {
    private Labels() {
    }

    /** The name of the folder that holds the file: {@code bears/grizzly/001.jpg} → {@code grizzly}. */
    public static Labeller parentFolder() {
        return new Labeller() {
            @Override
            public Object label(Path item) {
                Path parent = item.toAbsolutePath().getParent();
                if (parent == null || parent.getFileName() == null) {
                    throw new KodiakException("cannot label " + item + " by its folder: it is not in a folder");
                }
                return parent.getFileName().toString();
            }

            @Override
            public String describe() {
                return "parent folder";
            }

            @Override
            public String spec() {
                return "folder";
            }
        };
    }

    /**
     * The first capture group of {@code pattern} found in the file name (or the whole match when the pattern has
     * no group), e.g. {@code "^(.+)_\\d+\\.jpg$"} labels {@code great_pyrenees_12.jpg} as {@code great_pyrenees}.
     */
    public static Labeller regex(String pattern) {
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new KodiakException("invalid label pattern '" + pattern + "': " + e.getDescription());
        }
        return new Labeller() {
            @Override
            public Object label(Path item) {
                String name = item.getFileName().toString();
                Matcher m = compiled.matcher(name);
                if (!m.find()) {
                    throw new KodiakException("label pattern '" + pattern + "' does not match the file name '" + name
                            + "' (" + item + ")");
                }
                return m.groupCount() >= 1 ? m.group(1) : m.group();
            }

            @Override
            public String describe() {
                return "regex " + pattern;
            }

            @Override
            public String spec() {
                return "regex:" + pattern;
            }
        };
    }

    /** Any function of the file, e.g. {@code p -> p.getFileName().toString().charAt(0) == 'c' ? "cat" : "dog"}. */
    public static Labeller function(Function<Path, ?> f) {
        return f::apply;
    }

    /**
     * A column of a CSV file with a header row: the row whose {@code fileColumn} names the item (a path relative
     * to the CSV's folder, or the bare file name) gives the label in {@code labelColumn}.
     */
    public static CsvLabels csvColumn(Path csv, String fileColumn, String labelColumn) {
        return CsvLabels.read(csv, fileColumn, labelColumn);
    }
}
