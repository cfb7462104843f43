package dev.kodiak.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kodiak.KodiakException;
import java.util.List;
import java.util.Map;

/**
 * The self-description of a {@code .kodiak} model file (format version {@value #FORMAT_VERSION}): everything
 * needed to turn an image file into the model's input and its output into an answer, plus where the model
 * came from. Documented in docs/model-format.md.
 *
 * @param formatVersion  {@value #FORMAT_VERSION}; readers refuse versions they do not know
 * @param kodiakVersion  the Kodiak that wrote the file
 * @param createdAt      ISO-8601 UTC time of writing
 * @param architecture   registry name of the body, e.g. {@code resnet34}
 * @param head           the head that sits on the body
 * @param task           {@code single_label}, {@code multi_label} or {@code regression}
 * @param labels         class names (index order of the outputs) or regression value names
 * @param loss           the loss the model was trained with
 * @param threshold      multi-label: probability above which a label is predicted; null otherwise
 * @param inputChannels  3 for RGB
 * @param inputSize      {@code [height, width]} of the model's input: what the item transforms produce
 * @param itemTransforms the item transforms to apply (in order, in their validation mode) to an image
 * @param normalization  per-channel mean and std applied to 0..1 pixel values
 * @param weights        the weights entry: file name, SHA-256, tensor count and parameter count
 * @param training       provenance: data, split, recipe, metrics
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(int formatVersion, String kodiakVersion, String createdAt, String architecture, Head head,
                       String task, List<String> labels, String loss, Double threshold, int inputChannels,
                       List<Integer> inputSize, List<Map<String, Object>> itemTransforms, Normalization normalization, WeightsInfo weights,
                       Training training) {
    public static final int FORMAT_VERSION = 1;
    public static final String SINGLE_LABEL = "single_label";
    public static final String MULTI_LABEL = "multi_label";
    public static final String REGRESSION = "regression";

    public Manifest {
        labels = labels == null ? List.of() : List.copyOf(labels);
        itemTransforms = itemTransforms == null ? List.of() : List.copyOf(itemTransforms);
        inputSize = inputSize == null ? null : List.copyOf(inputSize);
        if (task != null && !List.of(SINGLE_LABEL, MULTI_LABEL, REGRESSION).contains(task)) {
            throw new KodiakException("unknown task '" + task + "' in the model manifest");
        }
    }

    /** The same manifest with another weights entry (set when the file is written). */
    public Manifest withWeights(WeightsInfo w) {
        return new Manifest(formatVersion, kodiakVersion, createdAt, architecture, head, task, labels, loss, threshold,
                inputChannels, inputSize, itemTransforms, normalization, w, training);
    }

    /** The fastai head: concat pooling, BatchNorm, dropout, linear layers without bias. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Head(String type, int inputFeatures, int hidden, int outputs) {
    }

    /** Per-channel mean and standard deviation, applied to 0..1 pixel values: {@code (x - mean) / std}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Normalization(List<Double> mean, List<Double> std) {
    }

    /**
     * @param file    zip entry holding the weights
     * @param sha256  of that entry's bytes; checked on load
     * @param tensors number of tensors
     * @param numel   number of values (parameters and buffers)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record WeightsInfo(String file, String sha256, int tensors, long numel) {
    }

    /**
     * Provenance of the weights.
     *
     * @param dataRoot        absolute path of the training data folder
     * @param dataFingerprint SHA-256 over the items' relative paths and sizes
     * @param split           splitter spec: kind, valid_pct, test_pct, seed, time_key
     * @param labelSpec       how items were labelled (folder, regex:..., csv:...)
     * @param validFiles      validation items, relative to dataRoot (recreates the split)
     * @param testFiles       held-out test items, relative to dataRoot
     * @param pretrained      the weights the body started from, or {@code none}
     * @param recipe          e.g. {@code fine_tune(3, base_lr=0.002)}
     * @param epochs          epochs per phase, e.g. {@code {"frozen":1,"unfrozen":3}}
     * @param metrics         final validation metrics and loss
     * @param precision       fp32 or bf16
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Training(String dataRoot, String dataFingerprint, Map<String, Object> split, String labelSpec,
                           List<String> validFiles, List<String> testFiles, String pretrained, String recipe,
                           Map<String, Integer> epochs, Map<String, Double> metrics, String precision) {
    }
}
