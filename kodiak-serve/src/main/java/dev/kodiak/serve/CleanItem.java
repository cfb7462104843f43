package dev.kodiak.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One image as the cleaner shows it.
 *
 * @param path            relative to the data folder, {@code /} separators
 * @param label           its label: the name of the folder it is in, or its CSV cell (single-label); null for
 *                        CSV-labelled multi-label and regression items
 * @param split           {@code train}, {@code valid} or {@code test}
 * @param predicted       the model's most probable label; null when the image cannot be read or for regression
 * @param probability     the model's probability of {@code predicted}
 * @param loss            the loss of the image's own target (cross-entropy; binary cross-entropy for multi-label
 *                        models; squared error for regression): high when the model disagrees with the data.
 *                        Infinite for unreadable images
 * @param error           why the image cannot be read, or null
 * @param labels          CSV-labelled data: the item's labels from the CSV (its set for multi-label); null otherwise
 * @param values          CSV-labelled regression: the item's numbers by target column; null or empty otherwise
 * @param predictedLabels multi-label on CSV data: the labels at or above the threshold; null otherwise
 * @param predictedValues regression: the predicted numbers by target column; null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CleanItem(String path, String label, String split, String predicted, double probability, double loss,
                        String error, List<String> labels, Map<String, Double> values, List<String> predictedLabels,
                        Map<String, Double> predictedValues) {
    /** An item of folder-labelled data. */
    public CleanItem(String path, String label, String split, String predicted, double probability, double loss,
                     String error) {
        this(path, label, split, predicted, probability, loss, error, null, null, null, null);
    }
}
