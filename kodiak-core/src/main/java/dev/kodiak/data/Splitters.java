package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The ways to split items into train / valid (/ test), as fastai names them. */
public final class Splitters {
    private Splitters() {
    }

    /** {@code validPct} of the items at random, the same ones for the same {@code seed}. */
    public static RandomSplitter random(double validPct, long seed) {
        return new RandomSplitter(validPct, seed, 0);
    }

    /** Like {@link #random} but the same fraction of every label. */
    public static StratifiedSplitter stratified(double validPct, long seed) {
        return new StratifiedSplitter(validPct, seed, 0);
    }

    /** Folders named {@code train}, {@code valid} (and {@code test}) two levels above each file. */
    public static GrandparentSplitter grandparent() {
        return grandparent("train", "valid");
    }

    /** Folders named {@code trainName} and {@code validName} two levels above each file. */
    public static GrandparentSplitter grandparent(String trainName, String validName) {
        return new GrandparentSplitter(trainName, validName, "test", 0, 42);
    }

    /** Items for which {@code isValid} is true are validation items. */
    public static FunctionSplitter byFunction(Predicate<Path> isValid) {
        return new FunctionSplitter((i, p) -> isValid.test(p), "by function", 0, 42);
    }

    /** The items at these indices (of the item list) are validation items. */
    public static FunctionSplitter byIndex(Collection<Integer> validIndices) {
        Set<Integer> valid = Set.copyOf(validIndices);
        return new FunctionSplitter((i, p) -> valid.contains(i), "by index (" + valid.size() + " valid)", 0, 42);
    }

    /** Sorted by {@code key}; the last {@code validPct} are validation items. */
    public static <K extends Comparable<K>> OrderSplitter byOrder(Function<Path, K> key, double validPct) {
        return new OrderSplitter(key, "key", validPct, 0);
    }

    /** Sorted by the files' modification time; the newest {@code validPct} are validation items. */
    public static OrderSplitter byFileTime(double validPct) {
        return new OrderSplitter(Splitters::modified, "file time", validPct, 0);
    }

    /**
     * Sorted by a date or number found in the file name with {@code regex} (its first group, or the whole match),
     * e.g. {@code "(\\d{4}-\\d{2}-\\d{2})"}; numbers compare as numbers, other text (ISO dates) as text.
     */
    public static OrderSplitter byNameKey(String regex, double validPct) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new KodiakException("invalid time-key pattern '" + regex + "': " + e.getDescription());
        }
        return new OrderSplitter(p -> nameKey(pattern, p), "name key " + regex, validPct, 0);
    }


    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new KodiakException("cannot read the modification time of " + p + ": " + e.getMessage());
        }
    }

    private static NameKey nameKey(Pattern pattern, Path p) {
        String name = p.getFileName().toString();
        Matcher m = pattern.matcher(name);
        if (!m.find()) {
            throw new KodiakException("time-key pattern '" + pattern + "' finds nothing in the file name '" + name + "'");
        }
        String text = m.groupCount() >= 1 ? m.group(1) : m.group();
        try {
            return new NameKey(new BigDecimal(text), text);
        } catch (NumberFormatException e) {
            return new NameKey(null, text);
        }
    }

    /** A key from a file name: numbers order numerically and before text; text (ISO dates) orders as text. */
    record NameKey(BigDecimal number, String text) implements Comparable<NameKey> {
        @Override
        public int compareTo(NameKey o) {
            if (number != null && o.number != null) {
                return number.compareTo(o.number);
            }
            if (number != null || o.number != null) {
                return number != null ? -1 : 1;
            }
            return text.compareTo(o.text);
        }
    }

}
