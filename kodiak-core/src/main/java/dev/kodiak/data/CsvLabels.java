package dev.kodiak.data;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.kodiak.KodiakException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Labels from a CSV file with a header row. Files are matched by their path relative to the CSV's folder, and
 * by bare file name when that is unambiguous.
 */
public final class CsvLabels implements Labeller {
    private final Path csv;
    private final String labelColumn;
    private final Map<Path, String> byPath;
    private final Map<String, String> byName;
    private final List<Path> files;

    private CsvLabels(Path csv, String labelColumn, Map<Path, String> byPath, Map<String, String> byName) {
        this.csv = csv;
        this.labelColumn = labelColumn;
        this.byPath = byPath;
        this.byName = byName;
        this.files = List.copyOf(byPath.keySet());
    }

    /** Reads the whole CSV once; errors name the file, the line and the column. */
    public static CsvLabels read(Path csv, String fileColumn, String labelColumn) {
        if (!java.nio.file.Files.isRegularFile(csv)) {
            throw new KodiakException("label file " + csv + " does not exist");
        }
        Path root = csv.toAbsolutePath().getParent();
        Map<Path, String> byPath = new LinkedHashMap<>();
        Map<String, String> byName = new HashMap<>();
        Map<String, Integer> nameCount = new HashMap<>();
        CsvMapper mapper = new CsvMapper();
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> rows =
                     mapper.readerFor(Map.class).with(schema).readValues(csv.toFile())) {
            int line = 1;
            while (rows.hasNext()) {
                line++;
                Map<String, String> row = rows.next();
                if (line == 2) {
                    requireColumn(csv, row, fileColumn);
                    requireColumn(csv, row, labelColumn);
                }
                String file = row.get(fileColumn);
                String label = row.get(labelColumn);
                if (file == null || file.isBlank()) {
                    throw new KodiakException(csv + " line " + line + ": column '" + fileColumn + "' is empty");
                }
                Path path = root.resolve(file.trim()).normalize();
                byPath.put(path, label == null ? "" : label.trim());
                String name = path.getFileName().toString();
                byName.put(name, label == null ? "" : label.trim());
                nameCount.merge(name, 1, Integer::sum);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof KodiakException k) {
                throw k;
            }
            throw new KodiakException("cannot read label file " + csv + ": " + e.getMessage(), e);
        }
        if (byPath.isEmpty()) {
            throw new KodiakException("label file " + csv + " has a header but no rows");
        }
        nameCount.forEach((name, n) -> {
            if (n > 1) {
                byName.remove(name);
            }
        });
        return new CsvLabels(csv, labelColumn, byPath, byName);
    }

    /** The name of the first column of a CSV file's header (fastai's default column of file names). */
    public static String firstColumn(Path csv) {
        if (!Files.isRegularFile(csv)) {
            throw new KodiakException("label file " + csv + " does not exist");
        }
        try (var lines = Files.lines(csv)) {
            String header = lines.findFirst().orElseThrow(() -> new KodiakException("label file " + csv + " is empty"));
            CsvMapper mapper = new CsvMapper();
            try (MappingIterator<List<String>> it = mapper.readerForListOf(String.class)
                    .with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY).readValues(header)) {
                List<String> cols = it.next();
                return cols.get(0).trim();
            }
        } catch (IOException e) {
            throw new KodiakException("cannot read label file " + csv + ": " + e.getMessage(), e);
        }
    }

    private static void requireColumn(Path csv, Map<String, String> row, String column) {
        if (!row.containsKey(column)) {
            throw new KodiakException(csv + " has no column '" + column + "'; its columns are " + row.keySet());
        }
    }

    /** The files the CSV names, resolved against its folder, in file order (the items of {@code fromCsv}). */
    public List<Path> files() {
        return files;
    }

    @Override
    public Object label(Path item) {
        String label = byPath.get(item.toAbsolutePath().normalize());
        if (label == null) {
            label = byName.get(item.getFileName().toString());
        }
        if (label == null) {
            throw new KodiakException(item + " is not listed in " + csv);
        }
        return label;
    }

    @Override
    public String spec() {
        return "csv:" + csv.toAbsolutePath() + ":" + labelColumn;
    }

    @Override
    public String describe() {
        return "csv " + csv.getFileName() + " column " + labelColumn;
    }

    /** Files of {@code items} that the CSV does not list (to report them before training). */
    public List<Path> unlisted(List<Path> items) {
        List<Path> missing = new ArrayList<>();
        for (Path p : items) {
            if (!byPath.containsKey(p.toAbsolutePath().normalize()) && !byName.containsKey(p.getFileName().toString())) {
                missing.add(p);
            }
        }
        return missing;
    }
}
