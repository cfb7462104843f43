package dev.kodiak.vision.interpret;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One item a multi-label model got most wrong.
 *
 * @param index     position in the evaluated items
 * @param item      the image file; null when the predictions came without files
 * @param actual    the item's true labels, in label order
 * @param predicted the labels whose probability is above the threshold, in label order (possibly none)
 * @param loss      the item's loss (binary cross-entropy averaged over the labels, unless given)
 */
public record MultiLabelTopLoss(int index, Path item, List<String> actual, List<String> predicted, double loss) {
    public MultiLabelTopLoss {
        actual = List.copyOf(actual);
        predicted = List.copyOf(predicted);
    }

    /** Predicted and actual label sets and the loss on three lines, e.g. {@code pred: cat, dog}, {@code true: cat}. */
    public String caption() {
        return String.format(Locale.ROOT, "pred: %s\ntrue: %s\nloss %.2f", set(predicted), set(actual), loss);
    }

    private static String set(List<String> labels) {
        return labels.isEmpty() ? "(none)" : String.join(", ", labels);
    }
}
