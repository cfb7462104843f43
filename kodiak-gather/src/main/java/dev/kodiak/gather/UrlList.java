package dev.kodiak.gather;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.kodiak.KodiakException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The user's own image addresses, for those who have their own sources. The file is either
 * <ul>
 *   <li>plain text: one URL a line ({@code #} comments and blank lines are skipped), or</li>
 *   <li>CSV with a header that has a {@code url} column, and optionally {@code label}, {@code page_url},
 *       {@code licence} (or {@code license}), {@code creator}, {@code title}, {@code width}, {@code height}.</li>
 * </ul>
 * Rows are picked per label from a {@code label} column when there is one; a path containing {@code {label}}
 * (e.g. {@code urls/{label}.txt}) names one file per label; otherwise every label gets every row.
 */
public final class UrlList implements SearchProvider {
    private static final String PLACEHOLDER = "{label}";
    private final String pattern;

    private UrlList(String pattern) {
        this.pattern = pattern;
    }

    /** A list in {@code fileOrPattern}, a path that may contain {@code {label}}. */
    public static UrlList of(String fileOrPattern) {
        if (fileOrPattern == null || fileOrPattern.isBlank()) {
            throw new KodiakException("the URL list needs a file (--urls FILE)");
        }
        if (!fileOrPattern.contains(PLACEHOLDER) && !Files.isRegularFile(Path.of(fileOrPattern))) {
            throw new KodiakException("URL list " + fileOrPattern + " does not exist");
        }
        return new UrlList(fileOrPattern);
    }

    @Override
    public String name() {
        return "urls";
    }

    /** The file that holds {@code label}'s addresses. */
    public Path file(String label) {
        return Path.of(pattern.replace(PLACEHOLDER, label));
    }

    @Override
    public List<SearchResult> search(String label, String query, int max) {
        Path file = file(label);
        if (!Files.isRegularFile(file)) {
            throw new KodiakException("URL list " + file + " (for label " + label + ") does not exist");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KodiakException("cannot read URL list " + file + ": " + e.getMessage(), e);
        }
        Map<String, SearchResult> found = new LinkedHashMap<>();
        for (SearchResult r : isCsv(text) ? readCsv(file, text, label) : readLines(text)) {
            if (found.size() >= max) {
                break;
            }
            found.putIfAbsent(r.imageUrl(), r);
        }
        return List.copyOf(found.values());
    }

    /** CSV when the first meaningful line is a header naming a {@code url} column. */
    private static boolean isCsv(String text) {
        for (String line : text.lines().toList()) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            for (String column : l.split(",")) {
                if (column.strip().replace("\"", "").toLowerCase(Locale.ROOT).equals("url")) {
                    return true;
                }
            }
            return false;
        }
        return false;
    }

    private static List<SearchResult> readLines(String text) {
        List<SearchResult> out = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(SearchResult.of(l));
            }
        }
        return out;
    }

    private static List<SearchResult> readCsv(Path file, String text, String label) {
        String body = text.lines().dropWhile(l -> l.isBlank() || l.strip().startsWith("#"))
                .reduce("", (a, b) -> a + b + "\n");
        List<SearchResult> out = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(body)) {
            int line = 1;
            while (rows.hasNext()) {
                line++;
                Map<String, String> row = lowerKeys(rows.next());
                String url = row.getOrDefault("url", "").strip();
                if (url.isEmpty() || row.containsKey("label") && !row.get("label").strip().equals(label)) {
                    continue;
                }
                String licence = row.getOrDefault("licence", row.getOrDefault("license", ""));
                out.add(new SearchResult(url, row.get("page_url"), row.get("title"), licence, row.get("creator"),
                        size(row.get("width"), file, line), size(row.get("height"), file, line)));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof KodiakException k) {
                throw k;
            }
            throw new KodiakException("cannot read URL list " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Map<String, String> lowerKeys(Map<String, String> row) {
        Map<String, String> out = new LinkedHashMap<>();
        row.forEach((k, v) -> out.put(k.strip().toLowerCase(Locale.ROOT), v == null ? "" : v));
        return out;
    }

    private static int size(String value, Path file, int line) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.strip()));
        } catch (NumberFormatException e) {
            throw new KodiakException(file + " line " + line + ": width/height must be a whole number, got " + value);
        }
    }
}
