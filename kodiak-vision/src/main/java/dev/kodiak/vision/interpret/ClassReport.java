package dev.kodiak.vision.interpret;

/**
 * Precision, recall and F1 of one class (or an average over classes).
 *
 * @param label     the class, or {@code macro avg} / {@code weighted avg}
 * @param precision of the items predicted as this class, the fraction that are (0 when none was predicted)
 * @param recall    of the items of this class, the fraction predicted as it (0 when there are none)
 * @param f1        harmonic mean of precision and recall (0 when both are 0)
 * @param support   items of this class (for averages: all items)
 */
public record ClassReport(String label, double precision, double recall, double f1, int support) {
}
