package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A splitter as words and numbers — what the CLI takes and the model file records, so that a model's
 * validation set can be recreated exactly later.
 *
 * @param kind     {@code auto} (grandparent when the folder has train/ and valid/, else random), {@code random},
 *                 {@code grandparent}, {@code stratified} or {@code by-time}
 * @param validPct fraction of items for validation (random, stratified, by-time)
 * @param testPct  fraction held out as a test set (0 for none)
 * @param seed     seed of the random choices
 * @param timeKey  for by-time: a regex whose first group is a date or number in the file name; null orders by
 *                 file modification time
 */
public record SplitSpec(String kind, double validPct, double testPct, long seed, String timeKey) {
    public SplitSpec {
        kind = kind == null ? "auto" : kind.toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("auto", "random", "grandparent", "stratified", "by-time").contains(kind)) {
            throw new KodiakException("unknown splitter '" + kind + "': use random, grandparent, stratified or by-time");
        }
    }

    /** Random 20%, seed 42, unless the folder has train/ and valid/ folders. */
    public static SplitSpec defaults() {
        return new SplitSpec("auto", 0.2, 0, 42, null);
    }

    /** The kind this spec resolves to for {@code dir} ({@code auto} becomes grandparent or random). */
    public String resolvedKind(Path dir) {
        if (!kind.equals("auto")) {
            return kind;
        }
        return Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("valid")) ? "grandparent" : "random";
    }

    /** The splitter for the items of {@code dir}. */
    public Splitter toSplitter(Path dir) {
        Splitter s = switch (resolvedKind(dir)) {
            case "grandparent" -> Splitters.grandparent();
            case "stratified" -> Splitters.stratified(validPct, seed);
            case "by-time" -> timeKey == null || timeKey.isBlank()
                    ? Splitters.byFileTime(validPct) : Splitters.byNameKey(timeKey, validPct);
            default -> Splitters.random(validPct, seed);
        };
        return testPct > 0 ? s.withTest(testPct) : s;
    }
}
