package dev.kodiak.learn.loss;

import dev.kodiak.KodiakException;
import java.util.Locale;

/** The loss functions a learner can train with, by their usual names. */
public final class Losses {
    private Losses() {
    }

    /** Softmax cross-entropy for single-label classification (class-index targets). */
    public static Loss crossEntropy() {
        return new CrossEntropyLoss(0);
    }

    /**
     * Cross-entropy with label smoothing {@code eps} (fastai's {@code LabelSmoothingCrossEntropy}, typically 0.1):
     * the true class is aimed at {@code 1 − eps + eps/k} and every class at {@code eps/k}, which keeps the model
     * from growing ever more over-confident.
     */
    public static Loss crossEntropy(double labelSmoothing) {
        return new CrossEntropyLoss(labelSmoothing);
    }

    /** Binary cross-entropy on logits for multi-label classification (multi-hot float targets). */
    public static Loss bceWithLogits() {
        return new BceWithLogitsLoss();
    }

    /** Mean squared error for regression. */
    public static Loss mse() {
        return new RegressionLoss(true);
    }

    /** Mean squared error on outputs squashed into {@code yRange} by fastai's {@code sigmoid_range}. */
    public static Loss mse(dev.kodiak.learn.YRange yRange) {
        return sigmoidRange(mse(), dev.kodiak.learn.SigmoidRange.of(java.util.List.of(yRange), 1));
    }

    /**
     * {@code inner} on outputs squashed by {@code range} (fastai's {@code y_range}: the model's answers are the
     * squashed values, so the loss and the metrics see them too).
     */
    public static Loss sigmoidRange(Loss inner, dev.kodiak.learn.SigmoidRange range) {
        return new SigmoidRangeLoss(inner, range);
    }

    /** Mean absolute error for regression (less pulled by outliers than mse). */
    public static Loss l1() {
        return new RegressionLoss(false);
    }

    /**
     * The loss named by a target block's default ({@code cross_entropy}, {@code bce_with_logits}, {@code mse})
     * or by the CLI's {@code --loss} (also {@code l1} and {@code label_smoothing_cross_entropy}, eps 0.1).
     */
    public static Loss forTarget(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "cross_entropy" -> crossEntropy();
            case "label_smoothing_cross_entropy" -> crossEntropy(0.1);
            case "bce_with_logits" -> bceWithLogits();
            case "mse" -> mse();
            case "l1" -> l1();
            default -> throw new KodiakException("unknown loss '" + name + "'; known: cross_entropy, "
                    + "label_smoothing_cross_entropy, bce_with_logits, mse, l1");
        };
    }
}
