package dev.kodiak.serve;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CsvRow;
import dev.kodiak.data.TaskKind;
import dev.kodiak.model.Manifest;
import dev.kodiak.data.InputKinds;
import dev.kodiak.vision.predict.FilePrediction;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cleaner's view of a data folder through a model: the labels (folders), which images were in the training and
 * validation sets (from the model's manifest, when the folder is the one the model was trained on), and each
 * image's prediction and loss, computed on demand and cached for the session (a moved file is predicted again).
 *
 * <p>On CSV-labelled data ({@link CleanActions#csv()}) the items are the CSV's rows and their targets its cells: a
 * single-label model lists by label as with folders; a multi-label model by each label an item carries, or
 * {@link #ALL}; a regression model lists {@link #ALL} items, worst (largest squared error) first. The split is the
 * CSV's split column when it has one.
 */
public final class CleanSession {
    public static final String TRAIN = "train";
    public static final String VALID = "valid";
    public static final String TEST = "test";
    /** The pseudo-label that lists every item (CSV-labelled multi-label and regression data). */
    public static final String ALL = "(all)";
    private static final int CHUNK = 64;

    private final CleanActions actions;
    private final Predictor predictor;
    private final boolean splitKnown;
    private final Set<String> valid;
    private final Set<String> test;
    private final Map<String, String> movedSplit = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(long size, long modified, Prediction prediction, String error) {
    }

    /**
     * The session for data folder {@code dir} with {@code predictor}: its targets from the CSV the model file records
     * when it was trained with {@code --csv}, else from the folders.
     */
    public static CleanSession open(Path dir, Predictor predictor) {
        Manifest.Training training = predictor.manifest().training();
        Manifest.CsvTargets csv = training == null || training.data() == null ? null : training.data().csv();
        return new CleanSession(CleanActions.of(dir, Clock.systemUTC(), csv, TaskKind.parse(predictor.task()),
                InputKinds.byName(predictor.manifest().input().kind())), predictor);
    }

    /**
     * @param predictor a classifier (single- or multi-label), or any model on CSV-labelled data; the session does not
     *                  close it
     */
    public CleanSession(CleanActions actions, Predictor predictor) {
        if (Manifest.REGRESSION.equals(predictor.task()) && actions.csv() == null) {
            throw new KodiakException("the cleaner needs a classifier on folder-labelled data; " + predictor.source()
                    + " is a regression model whose file records no CSV of targets");
        }
        this.actions = actions;
        this.predictor = predictor;
        Manifest.Training training = predictor.manifest().training();
        Manifest.Data t = training == null ? null : training.data();
        boolean splitColumn = actions.csv() != null && t != null && t.csv() != null && t.csv().validColumn() != null;
        this.splitKnown = splitColumn || t != null && t.root() != null && sameFolder(Path.of(t.root()), actions.root());
        this.valid = splitKnown && t.validFiles() != null ? slashes(t.validFiles()) : Set.of();
        this.test = splitKnown && t.testFiles() != null ? slashes(t.testFiles()) : Set.of();
    }

    public CleanActions actions() {
        return actions;
    }

    /** True when the data folder is the model's training folder, so train and valid are known. */
    public boolean splitKnown() {
        return splitKnown;
    }

    /** {@code train}, {@code valid} (and {@code test} when the model held out a test set); only train when unknown. */
    public List<String> splits() {
        List<String> s = new ArrayList<>(List.of(TRAIN));
        if (splitKnown) {
            s.add(VALID);
            if (!test.isEmpty()) {
                s.add(TEST);
            }
        }
        return s;
    }

    /**
     * What the page can list by: the model's labels and every label in the data (its folders, or its CSV's cells),
     * sorted; on CSV-labelled multi-label data {@link #ALL} first; on regression data only {@link #ALL}.
     */
    public List<String> labels() {
        if (actions.csv() != null && kind() == TaskKind.REGRESSION) {
            return List.of(ALL);
        }
        TreeSet<String> labels = new TreeSet<>(predictor.labels());
        if (actions.csv() != null) {
            for (CsvRow row : actions.rows()) {
                labels.addAll(targetLabels(row));
            }
        } else {
            for (Path f : images()) {
                labels.add(f.getParent().getFileName().toString());
            }
        }
        List<String> out = new ArrayList<>();
        if (actions.csv() != null && kind() == TaskKind.MULTI_LABEL) {
            out.add(ALL);
        }
        out.addAll(labels);
        return List.copyOf(out);
    }

    /** The model's task. */
    public TaskKind kind() {
        return TaskKind.parse(predictor.task());
    }

    /** The model's target names: its labels, or a regression model's target columns. */
    public List<String> targets() {
        return predictor.labels();
    }

    /** The multi-label model's threshold, or null. */
    public Double threshold() {
        return predictor.manifest().output().threshold();
    }

    // The labels a CSV row's target cells give: one (single-label) or the delimited set (multi-label).
    private List<String> targetLabels(CsvRow row) {
        String cell = row.targets().get(0);
        if (kind() != TaskKind.MULTI_LABEL) {
            return List.of(cell);
        }
        String delimiter = actions.csv().labelDelimiter();
        List<String> out = new ArrayList<>();
        for (String p : delimiter == null ? new String[] {cell} : cell.split(java.util.regex.Pattern.quote(delimiter))) {
            if (!p.isBlank() && !out.contains(p.trim())) {
                out.add(p.trim());
            }
        }
        return out;
    }

    /** The model's input kind ({@code image}, {@code audio}): what the page shows each file with. */
    public String inputKind() {
        return predictor.manifest().input().kind();
    }

    /** The model's own labels, in output order. */
    public List<String> modelLabels() {
        return predictor.labels();
    }

    /** The split of an image by its path relative to the data folder. */
    public String split(String relative) {
        String moved = movedSplit.get(relative);
        if (moved != null) {
            return moved;
        }
        return valid.contains(relative) ? VALID : test.contains(relative) ? TEST : TRAIN;
    }

    /** Remembers that a file moved (relabel or undo) so it keeps its split. */
    void moved(String from, String to) {
        if (from == null || to == null || from.equals(to)) {
            return; // a CSV relabel: the file stays
        }
        movedSplit.put(to, split(from));
    }

    /** The images of {@code label} in {@code split}, worst first (highest loss; unreadable images first of all). */
    public List<CleanItem> items(String label, String split) {
        if (actions.csv() != null) {
            return csvItems(label, split);
        }
        List<Path> files = new ArrayList<>();
        for (Path f : images()) {
            if (f.getParent().getFileName().toString().equals(label) && split(actions.relative(f)).equals(split)) {
                files.add(f);
            }
        }
        predictMissing(files);
        int truth = predictor.labels().indexOf(label);
        List<CleanItem> items = new ArrayList<>(files.size());
        for (Path f : files) {
            String rel = actions.relative(f);
            Cached c = cache.get(rel);
            if (c == null || c.prediction() == null) {
                items.add(new CleanItem(rel, label, split, null, 0, Double.POSITIVE_INFINITY,
                        c == null ? "not predicted" : c.error()));
            } else {
                Prediction p = c.prediction();
                items.add(new CleanItem(rel, label, split, p.label(), p.probability(), loss(p, truth), null));
            }
        }
        items.sort(Comparator.comparingDouble(CleanItem::loss).reversed().thenComparing(CleanItem::path));
        return items;
    }

    private List<CleanItem> csvItems(String label, String split) {
        Map<Path, CsvRow> rows = new LinkedHashMap<>();
        for (CsvRow row : actions.rows()) {
            String rel = actions.relative(row.file());
            String s = row.valid() != null ? (row.valid() ? VALID : TRAIN) : split(rel);
            if (s.equals(split) && (label.equals(ALL) || targetLabels(row).contains(label))) {
                rows.put(row.file(), row);
            }
        }
        predictMissing(new ArrayList<>(rows.keySet()));
        List<CleanItem> items = new ArrayList<>(rows.size());
        TaskKind kind = kind();
        for (CsvRow row : rows.values()) {
            String rel = actions.relative(row.file());
            Cached c = cache.get(rel);
            List<String> truthLabels = kind == TaskKind.REGRESSION ? List.of() : targetLabels(row);
            Map<String, Double> truthValues = new LinkedHashMap<>();
            if (kind == TaskKind.REGRESSION) {
                for (int i = 0; i < row.targets().size() && i < targets().size(); i++) {
                    truthValues.put(targets().get(i), Double.parseDouble(row.targets().get(i)));
                }
            }
            String itemLabel = kind == TaskKind.SINGLE_LABEL ? truthLabels.get(0) : null;
            if (c == null || c.prediction() == null) {
                items.add(new CleanItem(rel, itemLabel, split, null, 0, Double.POSITIVE_INFINITY,
                        c == null ? "not predicted" : c.error(), truthLabels, truthValues, null, null));
                continue;
            }
            Prediction p = c.prediction();
            double loss = switch (kind) {
                case SINGLE_LABEL -> loss(p, predictor.labels().indexOf(itemLabel));
                case MULTI_LABEL -> setLoss(p, truthLabels);
                case REGRESSION -> squaredError(p, truthValues);
            };
            items.add(new CleanItem(rel, itemLabel, split, p.label(), p.probability(), loss, null, truthLabels,
                    truthValues, kind == TaskKind.MULTI_LABEL ? p.labels() : null,
                    kind == TaskKind.REGRESSION ? p.values() : null));
        }
        items.sort(Comparator.comparingDouble(CleanItem::loss).reversed().thenComparing(CleanItem::path));
        return items;
    }

    // Mean binary cross-entropy of the item's whole label set (labels the model does not know are left out).
    private double setLoss(Prediction p, List<String> truth) {
        List<String> labels = predictor.labels();
        double sum = 0;
        for (String l : labels) {
            double q = clamp(p.probabilities().get(l));
            sum -= truth.contains(l) ? Math.log(q) : Math.log(1 - q);
        }
        return sum / labels.size();
    }

    // Mean squared error over the target columns, as the model's MSE loss.
    private static double squaredError(Prediction p, Map<String, Double> truth) {
        double sum = 0;
        for (Map.Entry<String, Double> e : truth.entrySet()) {
            double d = p.values().getOrDefault(e.getKey(), Double.NaN) - e.getValue();
            sum += d * d;
        }
        return truth.isEmpty() ? Double.NaN : sum / truth.size();
    }

    // Cross-entropy of the folder's label; for a multi-label model the mean binary cross-entropy against it alone.
    private double loss(Prediction p, int truth) {
        List<String> labels = predictor.labels();
        if (truth < 0) {
            return Double.NaN; // a folder the model has no label for
        }
        if (Manifest.MULTI_LABEL.equals(predictor.task())) {
            double sum = 0;
            for (int j = 0; j < labels.size(); j++) {
                double q = clamp(p.probabilities().get(labels.get(j)));
                sum -= j == truth ? Math.log(q) : Math.log(1 - q);
            }
            return sum / labels.size();
        }
        return -Math.log(clamp(p.probabilities().get(labels.get(truth))));
    }

    private static double clamp(double q) {
        return Math.min(1 - 1e-7, Math.max(1e-7, q));
    }

    private void predictMissing(List<Path> files) {
        List<Path> todo = new ArrayList<>();
        Map<Path, long[]> stamps = new HashMap<>();
        for (Path f : files) {
            long[] st = stamp(f);
            stamps.put(f, st);
            Cached c = cache.get(actions.relative(f));
            if (c == null || c.size() != st[0] || c.modified() != st[1]) {
                todo.add(f);
            }
        }
        for (int start = 0; start < todo.size(); start += CHUNK) {
            List<Path> chunk = todo.subList(start, Math.min(todo.size(), start + CHUNK));
            // through the model's input kind (images, sound files): an unreadable file gets its error, not a stop
            List<FilePrediction> results = predictor.predictEach(chunk);
            for (int i = 0; i < chunk.size(); i++) {
                Path f = chunk.get(i);
                long[] st = stamps.get(f);
                FilePrediction r = results.get(i);
                cache.put(actions.relative(f), r.failed() ? new Cached(st[0], st[1], null, "cannot read: " + why(r))
                        : new Cached(st[0], st[1], r.prediction(), null));
            }
        }
    }

    // The problem without the "cannot read image PATH: " the page already shows as the item
    private static String why(FilePrediction r) {
        String e = r.error();
        String file = r.file().toString() + ": ";
        int at = e.indexOf(file);
        return at >= 0 ? e.substring(at + file.length()) : e;
    }

    private List<Path> images() {
        return actions.images();
    }

    private static long[] stamp(Path f) {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return new long[] {a.size(), a.lastModifiedTime().toMillis()};
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
    }

    private static boolean sameFolder(Path a, Path b) {
        try {
            return Files.isDirectory(a) && a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<String> slashes(List<String> paths) {
        Set<String> s = new HashSet<>();
        for (String p : paths) {
            s.add(p.replace('\\', '/'));
        }
        return s;
    }
}
