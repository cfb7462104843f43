package dev.kodiak.learn.metrics;

import dev.kodiak.KodiakException;
import java.util.Map;
import java.util.TreeMap;

/** The built-in metrics' arithmetic, over plain arrays (n > 0 is guaranteed by {@link NamedMetric}). */
final class MetricMath {
    private MetricMath() {
    }

    static double accuracy(Predictions p) {
        requireClasses("accuracy", p);
        int correct = 0;
        for (int i = 0; i < p.n(); i++) {
            if (p.predictedClass(i) == p.classTargets()[i]) {
                correct++;
            }
        }
        return (double) correct / p.n();
    }

    /**
     * The target counts as found when fewer than {@code topK} classes rank above it; a class ranks above the
     * target when its output is higher, or equal with a lower index (ties broken like argmax).
     */
    static double topKAccuracy(Predictions p, int topK, String name) {
        requireClasses(name, p);
        if (topK > p.k()) {
            throw new KodiakException(name + " needs at least " + topK + " classes, the model has " + p.k());
        }
        int found = 0;
        for (int i = 0; i < p.n(); i++) {
            int target = (int) p.classTargets()[i];
            float t = p.output(i, target);
            int above = 0;
            for (int j = 0; j < p.k(); j++) {
                float v = p.output(i, j);
                if (v > t || (v == t && j < target)) {
                    above++;
                }
            }
            if (above < topK) {
                found++;
            }
        }
        return (double) found / p.n();
    }

    /**
     * Macro F1 like scikit-learn's {@code f1_score(average='macro')}: F1 = 2·tp / (2·tp + fp + fn) per class,
     * averaged over the classes that occur among the targets or the predictions. A class that is neither
     * present nor predicted is left out (it would otherwise count as 0 and punish a model for a class the
     * validation set does not contain).
     */
    static double f1Macro(Predictions p) {
        requireClasses("f1_score", p);
        Map<Integer, int[]> counts = new TreeMap<>();   // class -> {tp, fp, fn}
        for (int i = 0; i < p.n(); i++) {
            int pred = p.predictedClass(i);
            int target = (int) p.classTargets()[i];
            if (pred == target) {
                counts.computeIfAbsent(pred, c -> new int[3])[0]++;
            } else {
                counts.computeIfAbsent(pred, c -> new int[3])[1]++;
                counts.computeIfAbsent(target, c -> new int[3])[2]++;
            }
        }
        double sum = 0;
        for (int[] c : counts.values()) {
            sum += 2.0 * c[0] / (2.0 * c[0] + c[1] + c[2]);
        }
        return sum / counts.size();
    }

    /**
     * Element-wise accuracy of thresholded probabilities against multi-hot targets, over all n × k labels (fastai's
     * {@code accuracy_multi} with the sigmoid already applied): a label counts as predicted when its probability
     * is above {@code threshold}, as present when its target is non-zero.
     */
    static double accuracyMulti(Predictions p, double threshold) {
        requireFloats("accuracy_multi", p, "use accuracy or error_rate for single-label classification");
        long right = 0;
        float[] out = p.outputs();
        float[] y = p.targets();
        for (int i = 0; i < out.length; i++) {
            if ((out[i] > threshold) == (y[i] != 0)) {
                right++;
            }
        }
        return (double) right / out.length;
    }

    static double mse(Predictions p, String name) {
        requireFloats(name, p, "it compares values; use accuracy or error_rate for single-label classification");
        double sum = 0;
        for (int i = 0; i < p.outputs().length; i++) {
            double d = (double) p.outputs()[i] - p.targets()[i];
            sum += d * d;
        }
        return sum / p.outputs().length;
    }

    static double mae(Predictions p) {
        requireFloats("mae", p, "it compares values; use accuracy or error_rate for single-label classification");
        double sum = 0;
        for (int i = 0; i < p.outputs().length; i++) {
            sum += Math.abs((double) p.outputs()[i] - p.targets()[i]);
        }
        return sum / p.outputs().length;
    }

    /**
     * Coefficient of determination as scikit-learn's {@code r2_score} with {@code uniform_average}: per output
     * column 1 − SS_res / SS_tot, then the mean over the columns; a constant column scores 1 when predicted exactly,
     * else 0 (scikit-learn's convention).
     */
    static double r2(Predictions p) {
        requireFloats("r2", p, "it compares values; use accuracy or error_rate for single-label classification");
        int n = p.n();
        int k = p.k();
        if (n == 0) {
            return Double.NaN;
        }
        double total = 0;
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += p.targets()[i * k + j];
            }
            mean /= n;
            double res = 0;
            double tot = 0;
            for (int i = 0; i < n; i++) {
                double y = p.targets()[i * k + j];
                double d = y - p.outputs()[i * k + j];
                res += d * d;
                tot += (y - mean) * (y - mean);
            }
            total += tot == 0 ? (res == 0 ? 1 : 0) : 1 - res / tot;
        }
        return total / k;
    }

    /**
     * Multi-label F1 averaged over items, as scikit-learn's {@code f1_score(average='samples')}: per item
     * 2·|P∩T| / (|P| + |T|) with P the labels whose probability is above {@code threshold}; an item with no true and no
     * predicted label scores 0 (scikit-learn's {@code zero_division} default).
     */
    static double f1Samples(Predictions p, double threshold) {
        requireFloats("f1_samples", p, "use f1_score for single-label classification");
        int n = p.n();
        int k = p.k();
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int both = 0;
            int predicted = 0;
            int truth = 0;
            for (int j = 0; j < k; j++) {
                boolean pr = p.outputs()[i * k + j] > threshold;
                boolean tr = p.targets()[i * k + j] != 0;
                both += pr && tr ? 1 : 0;
                predicted += pr ? 1 : 0;
                truth += tr ? 1 : 0;
            }
            sum += predicted + truth == 0 ? 0 : 2.0 * both / (predicted + truth);
        }
        return sum / n;
    }

    /**
     * Multi-label F1 averaged over labels, as scikit-learn's {@code f1_score(average='macro')}: per label
     * 2·TP / (2·TP + FP + FN) (0 for a label never true nor predicted), then the mean over all labels.
     */
    static double f1MacroMulti(Predictions p, double threshold) {
        requireFloats("f1_macro", p, "use f1_score for single-label classification");
        int n = p.n();
        int k = p.k();
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < n; i++) {
                boolean pr = p.outputs()[i * k + j] > threshold;
                boolean tr = p.targets()[i * k + j] != 0;
                tp += pr && tr ? 1 : 0;
                fp += pr && !tr ? 1 : 0;
                fn += !pr && tr ? 1 : 0;
            }
            sum += tp + fp + fn == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
        return sum / k;
    }

    private static void requireClasses(String name, Predictions p) {
        if (!p.singleLabel()) {
            throw new KodiakException(name + " needs single-label classification (one class per item); these "
                    + "predictions have float targets: use accuracy_multi for multi-label, mse, mae or rmse for "
                    + "regression");
        }
    }

    private static void requireFloats(String name, Predictions p, String hint) {
        if (p.singleLabel()) {
            throw new KodiakException(name + " needs multi-label or regression targets; these predictions are "
                    + "single-label classes: " + hint);
        }
    }
}
