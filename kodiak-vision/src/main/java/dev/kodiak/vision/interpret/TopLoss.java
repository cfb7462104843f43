package dev.kodiak.vision.interpret;

import java.nio.file.Path;

/**
 * One item the model got most wrong (or least confidently right).
 *
 * @param index             position in the evaluated items
 * @param item              the image file; null when the predictions came without files
 * @param actual            the true label
 * @param predicted         the model's label
 * @param loss              the item's loss (cross-entropy: −ln p(actual))
 * @param probability       the model's probability of {@code predicted}
 * @param actualProbability the model's probability of {@code actual}
 */
public record TopLoss(int index, Path item, String actual, String predicted, double loss, double probability,
                      double actualProbability) {
    /** fastai's caption: {@code predicted/actual/loss/probability}. */
    public String caption() {
        return String.format(java.util.Locale.ROOT, "%s/%s\n%.2f / %.2f", predicted, actual, loss, probability);
    }
}
