package dev.kodiak.serve;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One image as the cleaner shows it.
 *
 * @param path        relative to the data folder, {@code /} separators
 * @param label       its label: the name of the folder it is in
 * @param split       {@code train}, {@code valid} or {@code test}
 * @param predicted   the model's most probable label; null when the image cannot be read
 * @param probability the model's probability of {@code predicted}
 * @param loss        the loss of the image's own label (cross-entropy; binary cross-entropy for multi-label
 *                    models): high when the model disagrees with the folder. Infinite for unreadable images
 * @param error       why the image cannot be read, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CleanItem(String path, String label, String split, String predicted, double probability, double loss,
                        String error) {
}
