package dev.kodiak.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kodiak.KodiakException;
import dev.kodiak.data.SplitterSpec;
import dev.kodiak.learn.Recipe;
import java.util.List;
import java.util.Map;

/**
 * The self-description of a {@code .kodiak} model file (format version {@value #FORMAT_VERSION}): everything
 * needed to turn an input into the model's input and its output into an answer, plus where the model came from,
 * in named sections. Documented in docs/model-format.md; files of version 1 (one flat object) are read into this
 * form.
 *
 * @param formatVersion {@value #FORMAT_VERSION}; readers refuse versions they do not know
 * @param kodiakVersion the Kodiak that wrote the file
 * @param createdAt     ISO-8601 UTC time of writing
 * @param model         the network: architecture and head
 * @param input         what the network takes and how an input is brought to it
 * @param output        what the outputs mean: task, labels, loss, threshold
 * @param weights       the weights entry: file name, SHA-256, tensor count and parameter count
 * @param training      provenance: data, split, recipe, metrics; null when the model was not trained
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"format_version", "kodiak_version", "created_at", "model", "input", "output", "weights", "training"})
public record Manifest(int formatVersion, String kodiakVersion, String createdAt, Model model, Input input,
                       Output output, WeightsInfo weights, Training training) {
    public static final int FORMAT_VERSION = 2;
    public static final String SINGLE_LABEL = "single-label";
    public static final String MULTI_LABEL = "multi-label";
    public static final String REGRESSION = "regression";

    public Manifest {
        if (model == null || input == null || output == null) {
            throw new KodiakException("the manifest needs its model, input and output sections");
        }
    }

    /** A manifest of this format version, written now by {@code kodiakVersion}, its weights entry still unknown. */
    public static Manifest of(String kodiakVersion, String createdAt, Model model, Input input, Output output,
            Training training) {
        return new Manifest(FORMAT_VERSION, kodiakVersion, createdAt, model, input, output, null, training);
    }

    /** The training data section, or null when the file records no training. */
    public Data trainingData() {
        return training == null ? null : training.data();
    }

    /** The same manifest with another weights entry (set when the file is written). */
    public Manifest withWeights(WeightsInfo w) {
        return new Manifest(formatVersion, kodiakVersion, createdAt, model, input, output, w, training);
    }

    /** The same manifest with other sections (tests, tools that rewrite a file). */
    public Manifest with(Model m, Input i, Output o, Training t) {
        return new Manifest(formatVersion, kodiakVersion, createdAt, m, i, o, weights, t);
    }

    /**
     * The network.
     *
     * @param architecture registry name of the body, e.g. {@code resnet34}
     * @param head         the head that sits on the body
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Model(String architecture, Head head) {
    }

    /** The fastai head: concat pooling, BatchNorm, dropout, linear layers without bias. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Head(String type, int inputFeatures, int hidden, int outputs) {
    }

    /**
     * What the network takes, and how an input becomes it.
     *
     * @param kind           the input kind ({@code image}, {@code audio}): the name {@link dev.kodiak.data.InputKinds} finds the
     *                       kind's reader by
     * @param channels       3 for RGB, 1 for spectrograms
     * @param size           {@code [height, width]} of the model's input: what the item transforms produce
     * @param itemTransforms the item transforms to apply (in order, in their validation mode) to an input
     * @param normalization  per-channel mean and std applied to 0..1 pixel values
     * @param parameters     the kind's own settings (for {@code audio}: sample rate, duration, spectrogram), written
     *                       and read by the kind's module; absent for images
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Input(String kind, int channels, List<Integer> size, List<ItemTransformSpec> itemTransforms,
                        Normalization normalization, Map<String, Object> parameters) {
        public static final String IMAGE = "image";

        public Input {
            size = size == null ? null : List.copyOf(size);
            itemTransforms = itemTransforms == null ? List.of() : List.copyOf(itemTransforms);
            parameters = parameters == null || parameters.isEmpty() ? null
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
        }

        /** An input with no kind-specific parameters (images). */
        public Input(String kind, int channels, List<Integer> size, List<ItemTransformSpec> itemTransforms,
                     Normalization normalization) {
            this(kind, channels, size, itemTransforms, normalization, null);
        }

        /** An RGB image input. */
        public static Input image(List<Integer> size, List<ItemTransformSpec> itemTransforms, Normalization norm) {
            return new Input(IMAGE, 3, size, itemTransforms, norm);
        }
    }

    /** Per-channel mean and standard deviation, applied to 0..1 pixel values: {@code (x - mean) / std}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Normalization(List<Double> mean, List<Double> std) {
    }

    /**
     * What the outputs mean.
     *
     * @param task           {@code single-label}, {@code multi-label} or {@code regression} (files written before
     *                       say {@code single_label}, {@code multi_label}: read as the hyphenated names)
     * @param labels         class names (index order of the outputs) or regression value names
     * @param loss           the loss the model was trained with
     * @param threshold      multi-label: probability at or above which a label is predicted; null otherwise
     * @param thresholdTuned multi-label: true when the threshold was chosen on the validation set; null otherwise
     * @param yRange         regression: {@code [lo, hi]} of fastai's sigmoid_range on every output, or one pair per
     *                       output in output order ({@code [lo1, hi1, lo2, hi2, ...]}); null for none
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(String task, List<String> labels, String loss, Double threshold, Boolean thresholdTuned,
                         List<Double> yRange) {
        public Output {
            labels = labels == null ? List.of() : List.copyOf(labels);
            if (task != null) {
                String t = task.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                if (!List.of(SINGLE_LABEL, MULTI_LABEL, REGRESSION).contains(t)) {
                    throw new KodiakException("unknown task '" + task + "' in the model manifest");
                }
                task = t;
            }
            yRange = yRange == null ? null : List.copyOf(yRange);
            if (yRange != null && !validPairs(yRange, labels.size())) {
                throw new KodiakException("the model manifest's y_range must be [lo, hi] (for every output) or [lo1, "
                        + "hi1, lo2, hi2, ...] (one pair per output) with each lo < hi, got " + yRange);
            }
        }

        // one [lo, hi] pair for all outputs, or one per output (format 2.x readers before per-output ranges take one)
        private static boolean validPairs(List<Double> r, int outputs) {
            if (r.size() != 2 && r.size() != 2 * outputs) {
                return false;
            }
            for (int i = 0; i < r.size(); i += 2) {
                if (r.get(i) == null || r.get(i + 1) == null || !(r.get(i) < r.get(i + 1))) {
                    return false;
                }
            }
            return true;
        }

        /** An output section without a tuned-threshold flag or y-range. */
        public Output(String task, List<String> labels, String loss, Double threshold) {
            this(task, labels, loss, threshold, null, null);
        }
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
     * @param data       the data the model was trained on and how it was split
     * @param pretrained the weights the body started from, or {@code none}
     * @param recipe     what the learner ran ({@code fine_tune}, {@code fit_one_cycle}, {@code fit}); null if unknown
     * @param epochs     epochs run per phase, e.g. {@code {"frozen":1,"unfrozen":3}}
     * @param metrics    final validation metrics and loss, by name
     * @param precision  fp32 or bf16
     * @param worldSize  how many processes trained it data-parallel; absent (null) for one, as in older files
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Training(Data data, String pretrained, Recipe recipe, Map<String, Integer> epochs,
                           Map<String, Double> metrics, String precision, Integer worldSize) {
        public Training {
            worldSize = worldSize == null || worldSize == 1 ? null : worldSize;
            if (worldSize != null && worldSize < 1) {
                throw new KodiakException("training.world_size must be at least 1, got " + worldSize);
            }
        }

        /** Provenance of a model trained in one process. */
        public Training(Data data, String pretrained, Recipe recipe, Map<String, Integer> epochs,
                        Map<String, Double> metrics, String precision) {
            this(data, pretrained, recipe, epochs, metrics, precision, null);
        }

        /** The number of processes that trained the model (1 when the file does not say). */
        public int processes() {
            return worldSize == null ? 1 : worldSize;
        }
    }

    /**
     * The training data.
     *
     * @param root        absolute path of the training data folder
     * @param fingerprint SHA-256 over the items' relative paths and sizes
     * @param split       how the validation (and test) items were chosen
     * @param labelSpec   how items were labelled (folder, regex:..., csv:...)
     * @param validFiles  validation items, relative to root (recreates the split)
     * @param testFiles   held-out test items, relative to root
     * @param csv         the CSV table the targets came from, or null
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Data(String root, String fingerprint, SplitterSpec split, String labelSpec, List<String> validFiles,
                       List<String> testFiles, CsvTargets csv) {
        /** Training data labelled without a CSV table. */
        public Data(String root, String fingerprint, SplitterSpec split, String labelSpec, List<String> validFiles,
                    List<String> testFiles) {
            this(root, fingerprint, split, labelSpec, validFiles, testFiles, null);
        }
    }

    /**
     * How the targets were read from a CSV table ({@code kodiak train --csv}), so that {@code interpret} and
     * {@code compare} read them again without data flags.
     *
     * @param file           the CSV as given (relative to the data folder unless absolute)
     * @param fileColumn     the file-path column, or null for the first
     * @param labelColumns   the target columns (empty: the second)
     * @param labelDelimiter the delimiter of a multi-label column, or null
     * @param validColumn    the split column, or null
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CsvTargets(String file, String fileColumn, List<String> labelColumns, String labelDelimiter,
                             String validColumn) {
    }
}
