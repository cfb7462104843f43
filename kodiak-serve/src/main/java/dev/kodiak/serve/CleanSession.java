package dev.kodiak.serve;

import dev.kodiak.KodiakException;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.ImageDecodeException;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cleaner's view of a data folder through a model: the labels (folders), which images were in the training and
 * validation sets (from the model's manifest, when the folder is the one the model was trained on), and each
 * image's prediction and loss, computed on demand and cached for the session (a moved file is predicted again).
 */
public final class CleanSession {
    public static final String TRAIN = "train";
    public static final String VALID = "valid";
    public static final String TEST = "test";
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

    /** @param predictor a classifier (single- or multi-label); the session does not close it */
    public CleanSession(CleanActions actions, Predictor predictor) {
        if (Manifest.REGRESSION.equals(predictor.task())) {
            throw new KodiakException("the cleaner needs a classifier; " + predictor.source() + " is a regression model");
        }
        this.actions = actions;
        this.predictor = predictor;
        Manifest.Training training = predictor.manifest().training();
        Manifest.Data t = training == null ? null : training.data();
        this.splitKnown = t != null && t.root() != null && sameFolder(Path.of(t.root()), actions.root());
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

    /** The model's labels and every label folder in the data, sorted. */
    public List<String> labels() {
        TreeSet<String> labels = new TreeSet<>(predictor.labels());
        for (Path f : images()) {
            labels.add(f.getParent().getFileName().toString());
        }
        return List.copyOf(labels);
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
        movedSplit.put(to, split(from));
    }

    /** The images of {@code label} in {@code split}, worst first (highest loss; unreadable images first of all). */
    public List<CleanItem> items(String label, String split) {
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
            List<Path> readable = new ArrayList<>();
            List<RgbImage> images = new ArrayList<>();
            List<Object> decoded = chunk.parallelStream().map(f -> {
                try {
                    return (Object) predictor.decode(f);
                } catch (ImageDecodeException e) {
                    return e.detail();
                }
            }).toList();
            for (int i = 0; i < chunk.size(); i++) {
                Path f = chunk.get(i);
                long[] st = stamps.get(f);
                if (decoded.get(i) instanceof RgbImage img) {
                    readable.add(f);
                    images.add(img);
                } else {
                    cache.put(actions.relative(f), new Cached(st[0], st[1], null, "cannot read: " + decoded.get(i)));
                }
            }
            List<Prediction> predictions = predictor.predictBatch(images);
            for (int i = 0; i < readable.size(); i++) {
                long[] st = stamps.get(readable.get(i));
                cache.put(actions.relative(readable.get(i)), new Cached(st[0], st[1], predictions.get(i), null));
            }
        }
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
