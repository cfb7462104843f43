package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.MultiCategoryBlock;
import dev.kodiak.data.TargetBlock;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.model.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.global.torch;

/**
 * How a model's raw outputs become answers, for its task: the activation (single-label: softmax over the classes;
 * multi-label: a sigmoid per label; regression: none) and the reading of one item's activated outputs as an
 * {@link Answer}. The learner (validation, {@code getPreds}) and the {@code Predictor} of a model file both use this
 * one class, so that a trained model and its exported file cannot answer differently.
 */
public final class OutputDecoder {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** fastai's default for multi-label: a label is predicted from probability 0.5. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private final String task;
    private final List<String> labels;
    private final double threshold;

    private OutputDecoder(String task, List<String> labels, double threshold) {
        if (!List.of(Manifest.SINGLE_LABEL, Manifest.MULTI_LABEL, Manifest.REGRESSION).contains(task)) {
            throw new KodiakException("unknown task '" + task + "': use single_label, multi_label or regression");
        }
        if (Manifest.MULTI_LABEL.equals(task) && !(threshold > 0 && threshold < 1)) {
            throw new KodiakException("a multi-label threshold must be between 0 and 1, got " + threshold);
        }
        this.task = task;
        this.labels = List.copyOf(labels);
        this.threshold = threshold;
    }

    /** The decoder of {@code task} ({@link Manifest#SINGLE_LABEL}, ...) with output names {@code labels}. */
    public static OutputDecoder of(String task, List<String> labels, double threshold) {
        return new OutputDecoder(task, labels, threshold);
    }

    /** The decoder of what {@code target} predicts, with its vocabulary as labels. */
    public static OutputDecoder forTarget(TargetBlock target, double threshold) {
        return new OutputDecoder(taskOf(target), target.vocab(), threshold);
    }

    /** The task name a model file records for {@code target}. */
    public static String taskOf(TargetBlock target) {
        return target instanceof CategoryBlock ? Manifest.SINGLE_LABEL
                : target instanceof MultiCategoryBlock ? Manifest.MULTI_LABEL : Manifest.REGRESSION;
    }

    public String task() {
        return task;
    }

    public List<String> labels() {
        return labels;
    }

    public double threshold() {
        return threshold;
    }

    /** The activated outputs {@code [B, k]} in float32, whatever precision the forward pass used. */
    public dev.kodiak.tensor.Tensor activate(dev.kodiak.tensor.Tensor output) {
        return NativeTensors.wrap(activate(NativeTensors.unwrap(output)));
    }

    org.bytedeco.pytorch.Tensor activate(org.bytedeco.pytorch.Tensor output) {
        org.bytedeco.pytorch.Tensor y = output.to(torch.ScalarType.Float);
        return switch (task) {
            case Manifest.SINGLE_LABEL -> torch.softmax(y, 1);
            case Manifest.MULTI_LABEL -> torch.sigmoid(y);
            default -> y;
        };
    }

    /** The answer for the item whose {@code k} activated outputs start at {@code offset} in {@code activated}. */
    public Answer decode(float[] activated, int offset) {
        int k = labels.size();
        if (Manifest.REGRESSION.equals(task)) {
            Map<String, Double> values = new LinkedHashMap<>();
            for (int j = 0; j < k; j++) {
                values.put(labels.get(j), (double) activated[offset + j]);
            }
            return new Answer(-1, null, Map.of(), List.of(), values);
        }
        Map<String, Double> probabilities = new LinkedHashMap<>();
        int best = 0;
        for (int j = 0; j < k; j++) {
            probabilities.put(labels.get(j), (double) activated[offset + j]);
            if (activated[offset + j] > activated[offset + best]) {
                best = j;
            }
        }
        List<String> predicted;
        if (Manifest.MULTI_LABEL.equals(task)) {
            List<Integer> above = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                if (activated[offset + j] >= threshold) {
                    above.add(j);
                }
            }
            above.sort((a, b) -> Float.compare(activated[offset + b], activated[offset + a]));
            predicted = above.stream().map(labels::get).toList();
        } else {
            predicted = List.of(labels.get(best));
        }
        return new Answer(best, labels.get(best), probabilities, predicted, Map.of());
    }

    /** The answer for every item of {@code predictions} (from {@code Learner.getPreds}), in order. */
    public List<Answer> decodeAll(Predictions predictions) {
        if (predictions.k() != labels.size()) {
            throw new KodiakException("the predictions have " + predictions.k() + " outputs per item but the decoder "
                    + labels.size() + " labels: decode them with the learner's own decoder");
        }
        List<Answer> answers = new ArrayList<>(predictions.n());
        for (int i = 0; i < predictions.n(); i++) {
            answers.add(decode(predictions.outputs(), i * predictions.k()));
        }
        return answers;
    }
}
