package dev.kodiak.vision.predict;

import dev.kodiak.KodiakException;
import dev.kodiak.model.Manifest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model says about one image.
 * <ul>
 *   <li>single-label: {@code label} and {@code index} of the most probable class, {@code probabilities} of every
 *       class (softmax, model-output order), {@code labels} = [label];</li>
 *   <li>multi-label: {@code labels} whose probability (sigmoid) is at least the model's threshold, most probable
 *       first; {@code label}/{@code index} the most probable one even if below the threshold;</li>
 *   <li>regression: {@code values} by name; {@code label} null, {@code index} -1, no probabilities.</li>
 * </ul>
 *
 * @param task          {@code single-label}, {@code multi-label} or {@code regression} (see {@link Manifest})
 * @param label         the most probable class; null for regression
 * @param index         its index in the model's labels; -1 for regression
 * @param probabilities class → probability in the model's label order; empty for regression
 * @param labels        predicted labels (multi-label: all above threshold); empty for regression
 * @param values        regression: value name → value; empty otherwise
 */
public record Prediction(String task, String label, int index, Map<String, Double> probabilities, List<String> labels,
                         Map<String, Double> values) {
    public Prediction {
        if (!List.of(Manifest.SINGLE_LABEL, Manifest.MULTI_LABEL, Manifest.REGRESSION).contains(task)) {
            throw new KodiakException("unknown prediction task '" + task + "'");
        }
        probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
        labels = List.copyOf(labels);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The probability of {@link #label()}; NaN for regression. */
    public double probability() {
        return label == null ? Double.NaN : probabilities.get(label);
    }

    /**
     * The JSON object documented in docs/cli-json.md ({@code kodiak predict --json} and the web API):
     * single-label {@code {"file","label","index","probabilities"}}, multi-label {@code {"file","labels",
     * "probabilities"}}, regression {@code {"file","values"}}.
     */
    public Map<String, Object> toJson(String file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", file);
        switch (task) {
            case Manifest.SINGLE_LABEL -> {
                json.put("label", label);
                json.put("index", index);
                json.put("probabilities", probabilities);
            }
            case Manifest.MULTI_LABEL -> {
                json.put("labels", labels);
                json.put("probabilities", probabilities);
            }
            default -> json.put("values", values);
        }
        return json;
    }

    /** E.g. {@code grizzly (0.973)}, {@code cat, dog (0.91, 0.64)}, {@code age=31.2, height=1.75}. */
    public String describe() {
        return switch (task) {
            case Manifest.SINGLE_LABEL -> String.format(java.util.Locale.ROOT, "%s (%.3f)", label, probability());
            case Manifest.MULTI_LABEL -> labels.isEmpty() ? "(no label above the threshold)"
                    : String.join(", ", labels) + " (" + String.join(", ", labels.stream()
                    .map(l -> String.format(java.util.Locale.ROOT, "%.3f", probabilities.get(l))).toList()) + ")";
            default -> String.join(", ", values.entrySet().stream()
                    .map(e -> String.format(java.util.Locale.ROOT, "%s=%.4g", e.getKey(), e.getValue())).toList());
        };
    }
}
