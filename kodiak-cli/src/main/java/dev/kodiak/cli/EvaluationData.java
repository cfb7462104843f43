package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CsvSource;
import dev.kodiak.data.CsvTable;
import dev.kodiak.data.LabelSpec;
import dev.kodiak.data.Labeller;
import dev.kodiak.data.TaskKind;
import dev.kodiak.io.DataRoot;
import dev.kodiak.io.OutsideDataRootException;
import dev.kodiak.model.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labelled images a model is evaluated on (by {@code interpret} and {@code compare}): the data folder the model
 * recorded (or the one given), and in it the model's recorded validation or test split, or every labelled image.
 */
final class EvaluationData {
    private EvaluationData() {
    }

    /**
     * The files to evaluate with their labels, and what was left out; {@code outside} maps recorded files that lead
     * out of the data folder (refused) to why.
     */
    record Items(List<Path> files, List<String> labels, List<String> missing, Map<String, Integer> unknown,
                 List<String> unlabelled, Map<String, String> outside) {
    }

    /** {@code dir} if given, else the model's recorded data folder; {@code verb} names the command in the hint. */
    static Path folder(Path model, Manifest m, Path dir, String verb) {
        if (dir != null) {
            if (!Files.isDirectory(dir)) {
                throw new KodiakException("data folder " + dir + " does not exist");
            }
            return dir;
        }
        String root = m.trainingData() == null ? null : m.trainingData().root();
        if (root == null || !Files.isDirectory(Path.of(root))) {
            throw new KodiakException("the model was trained on " + (root == null ? "an unrecorded folder" : root)
                    + ", which is not there any more: pass the data folder, e.g. `kodiak " + verb + " " + model
                    + " DIR`");
        }
        return Path.of(root);
    }

    /**
     * The model's recorded {@code split} ({@code valid} or {@code test}) under {@code data}, or with {@code all}
     * every labelled image there; labelled with the model's recorded labelling, keeping only labels it knows.
     */
    static Items items(Path model, Manifest m, Path data, String split, boolean all) {
        Manifest.Data t = m.trainingData();
        LabelSpec spec = new LabelSpec(t == null ? null : t.labelSpec());
        Labeller labeller = spec.toLabeller(data);
        CsvTable table = null;
        if (t != null && t.csv() != null) { // trained with --csv: the labels come from the recorded table again
            Manifest.CsvTargets c = t.csv();
            table = CsvTable.read(new CsvSource(Path.of(c.file()), c.fileColumn(), c.labelColumns(), c.labelDelimiter(),
                    c.validColumn()), data, true).checkedFor(TaskKind.SINGLE_LABEL, true);
            Labeller byRow = table.labeller(TaskKind.SINGLE_LABEL);
            DataRoot root = DataRoot.of(data);
            labeller = p -> byRow.label(root.resolve(p.toAbsolutePath()));
        }
        List<Path> candidates = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        Map<String, String> outside = new LinkedHashMap<>();
        if (all) {
            // the files the model's input kind reads (images, sound files)
            dev.kodiak.data.InputKind kind = dev.kodiak.data.InputKinds.byName(m.input().kind());
            candidates.addAll(table != null ? table.files() : spec.items(kind::find).apply(data));
        } else {
            List<String> recorded = t == null ? null : "test".equals(split) ? t.testFiles() : t.validFiles();
            if (recorded == null || recorded.isEmpty()) {
                throw new KodiakException(model + " records no " + ("test".equals(split)
                        ? "test split (train with --test-pct to hold one out)" : "validation split") + "; use --all");
            }
            DataRoot root = DataRoot.of(data);
            for (String rel : recorded) {
                Path p = Path.of(rel).isAbsolute() ? Path.of(rel) : data.resolve(rel);
                try {
                    // The manifest is outside text: its entries must not lead out of the data folder, links included.
                    root.resolve(p.toAbsolutePath());
                } catch (OutsideDataRootException e) {
                    outside.put(rel, e.why());
                    continue;
                }
                if (Files.isRegularFile(p)) {
                    candidates.add(p);
                } else {
                    missing.add(rel);
                }
            }
        }
        List<Path> files = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Map<String, Integer> unknown = new TreeMap<>();
        List<String> unlabelled = new ArrayList<>();
        for (Path p : candidates) {
            String label;
            try {
                label = String.valueOf(labeller.label(p));
            } catch (KodiakException e) {
                unlabelled.add(p.toString());
                continue;
            }
            if (!m.output().labels().contains(label)) {
                unknown.merge(label, 1, Integer::sum);
                continue;
            }
            files.add(p);
            labels.add(label);
        }
        return new Items(files, labels, missing, unknown, unlabelled, outside);
    }
}
