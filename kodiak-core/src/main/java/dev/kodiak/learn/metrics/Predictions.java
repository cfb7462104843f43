package dev.kodiak.learn.metrics;

import dev.kodiak.KodiakException;
import java.util.Arrays;

/**
 * A model's activated outputs over a whole dataset (usually the validation set) with the targets, in plain
 * Java: what metrics, interpretation and top-losses read.
 *
 * <p>{@code outputs} is {@code n × k}, row-major: probabilities for classification (softmax or sigmoid
 * already applied), values for regression. Exactly one of {@code classTargets} (single-label: one class index
 * per item) and {@code targets} ({@code n × k} floats: multi-hot labels or regression values) is present.
 * {@code losses} (one per item) may be null. The arrays are not copied: treat them as read-only.
 */
public record Predictions(int n, int k, float[] outputs, long[] classTargets, float[] targets, float[] losses) {
    public Predictions {
        if (n < 0 || k < 1) {
            throw new KodiakException("predictions need n >= 0 items and k >= 1 outputs, got n=" + n + ", k=" + k);
        }
        if (outputs == null || outputs.length != (long) n * k) {
            throw new KodiakException("predictions of " + n + " items × " + k + " outputs need " + (long) n * k
                    + " output values, got " + (outputs == null ? "none" : outputs.length));
        }
        if ((classTargets == null) == (targets == null)) {
            throw new KodiakException("predictions need either class targets or float targets (exactly one)");
        }
        if (classTargets != null) {
            if (classTargets.length != n) {
                throw new KodiakException("predictions of " + n + " items need " + n + " class targets, got "
                        + classTargets.length);
            }
            for (int i = 0; i < n; i++) {
                if (classTargets[i] < 0 || classTargets[i] >= k) {
                    throw new KodiakException("class target " + classTargets[i] + " of item " + i
                            + " is outside 0.." + (k - 1));
                }
            }
        }
        if (targets != null && targets.length != (long) n * k) {
            throw new KodiakException("predictions of " + n + " items × " + k + " outputs need " + (long) n * k
                    + " target values, got " + targets.length);
        }
        if (losses != null && losses.length != n) {
            throw new KodiakException("predictions of " + n + " items need " + n + " losses, got " + losses.length);
        }
    }

    /** Single-label classification: probabilities {@code n × k} and one class index per item. */
    public static Predictions ofClasses(int k, float[] probabilities, long[] classTargets) {
        return new Predictions(classTargets.length, k, probabilities, classTargets, null, null);
    }

    /** Multi-label classification (multi-hot targets) or regression (values): {@code n × k} outputs and targets. */
    public static Predictions ofValues(int k, float[] outputs, float[] targets) {
        if (k < 1 || targets.length % k != 0) {
            throw new KodiakException(targets.length + " target values do not split into items of " + k);
        }
        return new Predictions(targets.length / k, k, outputs, null, targets, null);
    }

    /** The same predictions with one loss per item (for top losses). */
    public Predictions withLosses(float[] itemLosses) {
        return new Predictions(n, k, outputs, classTargets, targets, itemLosses);
    }

    /** True for single-label classification (class-index targets). */
    public boolean singleLabel() {
        return classTargets != null;
    }

    /** Output {@code j} of item {@code i}. */
    public float output(int i, int j) {
        return outputs[i * k + j];
    }

    /** Target {@code j} of item {@code i} (float targets only). */
    public float target(int i, int j) {
        return targets[i * k + j];
    }

    /** The class with the highest output for item {@code i}; on ties the lowest index wins (like torch.argmax). */
    public int predictedClass(int i) {
        int best = 0;
        float bestValue = outputs[i * k];
        for (int j = 1; j < k; j++) {
            float v = outputs[i * k + j];
            if (v > bestValue) {
                best = j;
                bestValue = v;
            }
        }
        return best;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Predictions p && n == p.n && k == p.k && Arrays.equals(outputs, p.outputs)
                && Arrays.equals(classTargets, p.classTargets) && Arrays.equals(targets, p.targets)
                && Arrays.equals(losses, p.losses);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * n + k) + Arrays.hashCode(outputs);
    }

    @Override
    public String toString() {
        return "Predictions[n=" + n + ", k=" + k + ", " + (singleLabel() ? "class targets" : "float targets")
                + (losses != null ? ", with losses" : "") + "]";
    }
}
