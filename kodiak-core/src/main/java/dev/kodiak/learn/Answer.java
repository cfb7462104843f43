package dev.kodiak.learn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model answers for one item, read from its activated outputs by {@link OutputDecoder}.
 *
 * @param index         single- and multi-label: the most probable class (model-output order); -1 for regression
 * @param label         its label; null for regression
 * @param probabilities label → probability, in model-output order; empty for regression
 * @param labels        the predicted labels: single-label the best one, multi-label every label at or above the
 *                      threshold, most probable first; empty for regression
 * @param values        regression: value name → value; empty otherwise
 */
public record Answer(int index, String label, Map<String, Double> probabilities, List<String> labels,
                     Map<String, Double> values) {
    public Answer {
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
        labels = List.copyOf(labels);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
