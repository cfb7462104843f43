package dev.kodiak.cli;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CsvSource;
import dev.kodiak.data.CsvTable;
import dev.kodiak.data.Labeller;
import dev.kodiak.data.RegressionBlock;
import dev.kodiak.data.TaskKind;
import dev.kodiak.learn.Task;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.model.Manifest;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A multi-label or regression model's predictions on the images of its recorded split, with the targets read again
 * from the CSV table the model file records (so {@code interpret MODEL [DIR]} needs no data flags): activated
 * outputs and targets, {@code n × k}, in the order of {@link #files()}.
 *
 * @param files       the images predicted, in order
 * @param predictions their outputs (probabilities or values) and targets
 * @param missing     recorded split files not listed in the CSV or not found (left out)
 * @param failed      file → why it could not be decoded (left out)
 */
record CsvTaskEvaluation(List<Path> files, Predictions predictions, List<String> missing, Map<String, String> failed) {

    static CsvTaskEvaluation of(Predictor predictor, Path model, Path data, String split, boolean all) {
        return of(predictor, model, predictor.manifest(), data, split, all);
    }

    /**
     * {@code predictor} on the split and CSV targets that {@code m} (its own manifest, or the reference model's in a
     * comparison) records.
     */
    static CsvTaskEvaluation of(Predictor predictor, Path model, Manifest m, Path data, String split, boolean all) {
        Task task = Task.of(predictor.manifest().output());
        if (!task.labels().equals(m.output().labels())) {
            throw new KodiakException(predictor.source() + " has outputs " + task.labels() + " but " + model
                    + " has " + m.output().labels() + ": the models must predict the same labels or targets");
        }
        Manifest.CsvTargets c = m.trainingData() == null ? null : m.trainingData().csv();
        if (c == null) {
            throw new KodiakException(model + " is a " + task.name() + " model whose file does not record the CSV its "
                    + "targets came from (trained from Java?): interpret reads targets from `kodiak train --csv` models");
        }
        CsvSource source = new CsvSource(Path.of(c.file()), c.fileColumn(), c.labelColumns(), c.labelDelimiter(),
                c.validColumn());
        TaskKind kind = task instanceof Task.Regression ? TaskKind.REGRESSION : TaskKind.MULTI_LABEL;
        CsvTable table = CsvTable.read(source, data, true).checkedFor(kind, true);
        Labeller labeller = table.labeller(kind);
        Set<Path> listed = new HashSet<>(table.files());
        List<Path> wanted = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (all) {
            wanted.addAll(table.files());
        } else {
            List<String> recorded = "test".equals(split) ? m.trainingData().testFiles() : m.trainingData().validFiles();
            dev.kodiak.io.DataRoot root = dev.kodiak.io.DataRoot.of(data);
            for (String f : recorded == null ? List.<String>of() : recorded) {
                Path p;
                try {
                    p = root.resolve(f); // as the table resolves its rows
                } catch (dev.kodiak.io.OutsideDataRootException e) {
                    p = null; // refused: it leads outside the data folder
                }
                if (p != null && listed.contains(p)) {
                    wanted.add(p);
                } else {
                    missing.add(f);
                }
            }
        }
        List<String> labels = task.labels();
        int k = labels.size();
        List<Path> kept = new ArrayList<>();
        List<Float> outputs = new ArrayList<>();
        List<Float> targets = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (int start = 0; start < wanted.size(); start += 64) {
            List<Path> chunk = wanted.subList(start, Math.min(wanted.size(), start + 64));
            List<RgbImage> images = new ArrayList<>();
            List<Path> decoded = new ArrayList<>();
            for (Path f : chunk) {
                try {
                    images.add(predictor.decode(f));
                    decoded.add(f);
                } catch (KodiakException e) {
                    failed.put(f.toString(), e.getMessage());
                }
            }
            List<Prediction> ps = predictor.predictBatch(images);
            for (int i = 0; i < ps.size(); i++) {
                Prediction p = ps.get(i);
                Object label = labeller.label(decoded.get(i));
                double[] y = kind == TaskKind.REGRESSION ? RegressionBlock.values(label) : multiHot(labels, label);
                for (int j = 0; j < k; j++) {
                    outputs.add((kind == TaskKind.REGRESSION ? p.values() : p.probabilities()).get(labels.get(j))
                            .floatValue());
                    targets.add((float) y[j]);
                }
                kept.add(decoded.get(i));
            }
        }
        return new CsvTaskEvaluation(kept, Predictions.ofValues(k, floats(outputs), floats(targets)), missing, failed);
    }

    private static double[] multiHot(List<String> vocab, Object label) {
        double[] y = new double[vocab.size()];
        for (Object name : (List<?>) label) {
            int j = vocab.indexOf(name.toString());
            if (j >= 0) { // a label the model never saw cannot be predicted; it is not scored
                y[j] = 1;
            }
        }
        return y;
    }

    private static float[] floats(List<Float> values) {
        float[] a = new float[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

}
