package dev.kodiak.vision.interpret;

import dev.kodiak.KodiakException;
import dev.kodiak.compare.Bootstrap;
import dev.kodiak.compare.Comparison;
import dev.kodiak.compare.Interval;
import dev.kodiak.compare.ItemMeasure;
import dev.kodiak.data.DataLoader;
import dev.kodiak.data.ItemFailure;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Rng;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.vision.ImageBlock;
import dev.kodiak.vision.ImageDecoder;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.predict.FilePrediction;
import dev.kodiak.vision.predict.Prediction;
import dev.kodiak.vision.predict.Predictor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * What a single-label classifier gets wrong, fastai-style: the confusion matrix, the most confused pairs, the items
 * with the highest loss, a per-class report and the error rate with a confidence interval.
 * <pre>{@code
 * var interp = ClassificationInterpretation.of(learn);          // the validation set
 * interp.plotConfusionMatrix(Path.of("confusion.png"));
 * interp.plotTopLosses(9, Path.of("top-losses.png"));
 * System.out.println(interp.errorRate());                       // 0.120 (95% CI 0.073–0.173; 18 of 150 wrong)
 * }</pre>
 */
public final class ClassificationInterpretation {
    /** Bootstrap defaults: 1000 resamples, seed 42. */
    public static final int RESAMPLES = 1000;
    public static final long SEED = 42;

    private final List<String> vocab;
    private final Predictions preds;
    private final ItemGallery gallery;
    private final List<ItemFailure> failures;

    private ClassificationInterpretation(List<String> vocab, Predictions preds, List<Path> items,
                                         Function<Path, RgbImage> viewer, List<ItemFailure> failures) {
        this(vocab, preds, new ItemGallery(items, preds.n(), viewer), failures);
    }

    private ClassificationInterpretation(List<String> vocab, Predictions preds, ItemGallery gallery,
                                         List<ItemFailure> failures) {
        if (!preds.singleLabel()) {
            throw new KodiakException("ClassificationInterpretation is for single-label classifiers; these predictions"
                    + " have " + (preds.k() > 1 ? "multi-label or regression" : "float") + " targets");
        }
        if (vocab.size() != preds.k()) {
            throw new KodiakException("got " + vocab.size() + " class names for predictions of " + preds.k() + " classes");
        }
        this.gallery = gallery;
        this.vocab = List.copyOf(vocab);
        this.preds = preds.losses() != null ? preds : preds.withLosses(crossEntropy(preds));
        this.failures = List.copyOf(failures);
    }

    /** The learner's validation set. */
    public static ClassificationInterpretation of(Learner learn) {
        return of(learn, learn.dls().valid());
    }

    /** Any of the learner's loaders (e.g. its test set), predicted by the learner. */
    @SuppressWarnings("unchecked")
    public static ClassificationInterpretation of(Learner learn, DataLoader<?> dl) {
        Predictions p = learn.getPreds(dl);
        List<ItemTransform<RgbImage>> transforms = (List<ItemTransform<RgbImage>>) (List<?>) learn.dls().itemTransforms();
        Function<Path, RgbImage> viewer = learn.dls().input() instanceof ImageBlock block
                ? file -> apply(transforms, block.load(file)) : null;
        return new ClassificationInterpretation(learn.dls().vocab(), p, dl.items(), viewer, List.of());
    }

    /** A loader's items (with their labels) predicted by a loaded model. */
    public static ClassificationInterpretation of(Predictor predictor, DataLoader<RgbImage> dl) {
        List<String> labels = new ArrayList<>(dl.size());
        for (Object label : dl.labels()) {
            labels.add(String.valueOf(label));
        }
        return of(predictor, dl.items(), labels);
    }

    /**
     * Image files and their true labels predicted by a loaded model. Files that cannot be decoded are left out and
     * listed in {@link #failures()}; a label the model does not know is an error.
     */
    public static ClassificationInterpretation of(Predictor predictor, List<Path> files, List<String> labels) {
        if (files.size() != labels.size()) {
            throw new KodiakException("got " + files.size() + " files but " + labels.size() + " labels");
        }
        if (!dev.kodiak.model.Manifest.SINGLE_LABEL.equals(predictor.task())) {
            throw new KodiakException("interpretation needs a single-label classifier; " + predictor.source()
                    + " is " + predictor.task());
        }
        List<String> vocab = predictor.labels();
        int k = vocab.size();
        for (int i = 0; i < files.size(); i++) {
            if (!vocab.contains(labels.get(i))) {
                throw new KodiakException("the label '" + labels.get(i) + "' of " + files.get(i)
                        + " is not one the model knows " + vocab);
            }
        }
        List<Path> kept = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        List<ItemFailure> failures = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int batch = 64;
        for (int start = 0; start < files.size(); start += batch) {
            int end = Math.min(files.size(), start + batch);
            // the model's input kind reads the files (images, sound); unreadable ones are left out and listed
            List<FilePrediction> results = predictor.predictEach(files.subList(start, end));
            for (int j = 0; j < results.size(); j++) {
                FilePrediction r = results.get(j);
                if (r.failed()) {
                    failures.add(new ItemFailure(r.file(), r.error()));
                    continue;
                }
                float[] row = new float[k];
                for (int c = 0; c < k; c++) {
                    row[c] = r.prediction().probabilities().get(vocab.get(c)).floatValue();
                }
                rows.add(row);
                kept.add(r.file());
                targets.add((long) vocab.indexOf(labels.get(start + j)));
            }
        }
        float[] outputs = new float[rows.size() * k];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, outputs, i * k, k);
        }
        long[] t = targets.stream().mapToLong(Long::longValue).toArray();
        Predictions p = Predictions.ofClasses(k, outputs, t);
        // images are shown as the model saw them; other kinds draw their own inputs (sound: spectrograms)
        ItemGallery gallery = dev.kodiak.model.Manifest.Input.IMAGE.equals(predictor.manifest().input().kind())
                ? new ItemGallery(kept, p.n(), f -> predictor.preprocess(predictor.decode(f)))
                : ItemGallery.drawnBy(kept, p.n(), predictor::drawInputs);
        return new ClassificationInterpretation(vocab, p, gallery, failures);
    }

    /**
     * Predictions made elsewhere (probabilities and class targets, optionally with per-item losses; without them the
     * loss is the cross-entropy −ln p(actual)). {@code items} may be empty: everything but the top-losses plot works.
     */
    public static ClassificationInterpretation of(List<String> vocab, Predictions predictions, List<Path> items) {
        return new ClassificationInterpretation(vocab, predictions, items, f -> ImageDecoder.standard().decode(f),
                List.of());
    }

    public List<String> vocab() {
        return vocab;
    }

    /** The predictions interpreted (probabilities, targets, per-item losses). */
    public Predictions predictions() {
        return preds;
    }

    /** The evaluated image files, in prediction order (empty when none were given). */
    public List<Path> items() {
        return gallery.items();
    }

    /** Files that could not be decoded and were left out. */
    public List<ItemFailure> failures() {
        return failures;
    }

    /** {@code m[actual][predicted]}: how many items of each class got each prediction, in vocab order. */
    public int[][] confusionMatrix() {
        int k = vocab.size();
        int[][] m = new int[k][k];
        for (int i = 0; i < preds.n(); i++) {
            m[(int) preds.classTargets()[i]][preds.predictedClass(i)]++;
        }
        return m;
    }

    /** Off-diagonal cells with at least {@code minCount} items, largest first (ties in vocab order). */
    public List<Confusion> mostConfused(int minCount) {
        int[][] m = confusionMatrix();
        List<Confusion> out = new ArrayList<>();
        for (int a = 0; a < m.length; a++) {
            for (int p = 0; p < m.length; p++) {
                if (a != p && m[a][p] >= Math.max(1, minCount)) {
                    out.add(new Confusion(vocab.get(a), vocab.get(p), m[a][p]));
                }
            }
        }
        out.sort(Comparator.comparingInt(Confusion::count).reversed()); // stable: ties stay in vocab order
        return out;
    }

    /** Every confused pair (minimum count 1). */
    public List<Confusion> mostConfused() {
        return mostConfused(1);
    }

    /** The {@code k} items with the highest loss, highest first (ties: earlier item first). */
    public List<TopLoss> topLosses(int k) {
        Integer[] order = new Integer[preds.n()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        float[] losses = preds.losses();
        Arrays.sort(order, (a, b) -> Float.compare(losses[b], losses[a]));
        List<TopLoss> out = new ArrayList<>();
        for (int j = 0; j < Math.min(Math.max(k, 0), order.length); j++) {
            int i = order[j];
            int actual = (int) preds.classTargets()[i];
            int predicted = preds.predictedClass(i);
            out.add(new TopLoss(i, gallery.item(i), vocab.get(actual), vocab.get(predicted),
                    losses[i], preds.output(i, predicted), preds.output(i, actual)));
        }
        return out;
    }

    /** Precision, recall, F1 and support per class, with accuracy and averages. */
    public ClassificationReport classificationReport() {
        int[][] m = confusionMatrix();
        int k = m.length;
        int n = preds.n();
        List<ClassReport> rows = new ArrayList<>();
        double correct = 0;
        double[] macro = new double[3];
        double[] weighted = new double[3];
        for (int c = 0; c < k; c++) {
            int tp = m[c][c];
            int support = Arrays.stream(m[c]).sum();
            int predicted = 0;
            for (int[] row : m) {
                predicted += row[c];
            }
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = support == 0 ? 0 : (double) tp / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            rows.add(new ClassReport(vocab.get(c), precision, recall, f1, support));
            correct += tp;
            double[] v = {precision, recall, f1};
            for (int j = 0; j < 3; j++) {
                macro[j] += v[j] / k;
                weighted[j] += n == 0 ? 0 : v[j] * support / n;
            }
        }
        return new ClassificationReport(rows, n == 0 ? 0 : correct / n,
                new ClassReport("macro avg", macro[0], macro[1], macro[2], n),
                new ClassReport("weighted avg", weighted[0], weighted[1], weighted[2], n), n);
    }

    /** The error rate with a 95% bootstrap interval (1000 resamples, seed 42). */
    public ErrorRate errorRate() {
        return errorRate(0.95, RESAMPLES, SEED);
    }

    /** The error rate with a {@code confidence} percentile-bootstrap interval over the items. */
    public ErrorRate errorRate(double confidence, int resamples, long seed) {
        if (!(confidence > 0 && confidence < 1) || resamples < 1) {
            throw new KodiakException("confidence must be in (0, 1) and resamples at least 1, got " + confidence
                    + " and " + resamples);
        }
        double[] wrong = ItemMeasure.ERROR_RATE.perItem(preds, Comparison.THRESHOLD);
        int n = wrong.length;
        int errors = (int) Arrays.stream(wrong).sum();
        if (n == 0) {
            return new ErrorRate(Double.NaN, Double.NaN, Double.NaN, confidence, 0, 0, resamples, seed);
        }
        Interval interval = Bootstrap.meanInterval(wrong, confidence, resamples, seed);
        return new ErrorRate((double) errors / n, interval.low(), interval.high(), confidence, n, errors, resamples,
                seed);
    }

    /** Writes the confusion matrix as a PNG heat map (rows actual, columns predicted). */
    public void plotConfusionMatrix(Path png) {
        Plots.confusionMatrix(vocab, confusionMatrix(), png);
    }

    /** Writes the {@code k} top-loss images in a grid, captioned {@code predicted/actual} and {@code loss / prob}. */
    public void plotTopLosses(int k, Path png) {
        List<TopLoss> top = topLosses(k);
        gallery.write(top.stream().map(TopLoss::index).toList(), top.stream().map(TopLoss::caption).toList(), png);
    }

    /** Writes the first {@code k} items in a grid captioned {@code actual} and {@code predicted} (fastai's show_results). */
    public void plotResults(int k, Path png) {
        List<Integer> first = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < Math.min(k, preds.n()); i++) {
            first.add(i);
            captions.add("actual: " + vocab.get((int) preds.classTargets()[i]) + "\npredicted: "
                    + vocab.get(preds.predictedClass(i)));
        }
        gallery.write(first, captions, png);
    }

    private static RgbImage apply(List<ItemTransform<RgbImage>> transforms, RgbImage image) {
        RgbImage x = image;
        for (ItemTransform<RgbImage> t : transforms) {
            x = t.apply(x, Rng.of(0, 0, 0), false);
        }
        return x;
    }

    private static float[] crossEntropy(Predictions p) {
        float[] losses = new float[p.n()];
        for (int i = 0; i < p.n(); i++) {
            losses[i] = (float) -Math.log(Math.max(p.output(i, (int) p.classTargets()[i]), 1e-12f));
        }
        return losses;
    }
}
