package dev.kodiak.learn;

import dev.kodiak.KodiakException;
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
    public static final double DEFAULT_THRESHOLD = Task.DEFAULT_THRESHOLD;

    private final Task task;

    private OutputDecoder(Task task) {
        if (task == null) {
            throw new KodiakException("an output decoder needs a task");
        }
        this.task = task;
    }

    /** The decoder of {@code task}. */
    public static OutputDecoder of(Task task) {
        return new OutputDecoder(task);
    }

    /** The decoder of the task named {@code task} ({@link Manifest#SINGLE_LABEL}, ...) with output names {@code labels}. */
    public static OutputDecoder of(String task, List<String> labels, double threshold) {
        return new OutputDecoder(Task.of(task, labels, Double.isNaN(threshold) ? null : threshold, false, null));
    }

    /** The decoder of what {@code target} predicts, with its vocabulary as labels. */
    public static OutputDecoder forTarget(TargetBlock target, double threshold) {
        Task t = Task.forTarget(target);
        return new OutputDecoder(t instanceof Task.MultiLabel ? new Task.MultiLabel(t.labels(), threshold, false) : t);
    }

    /** The task name a model file records for {@code target}. */
    public static String taskOf(TargetBlock target) {
        return Task.forTarget(target).name();
    }

    /** The task name: {@code single-label}, {@code multi-label} or {@code regression}. */
    public String task() {
        return task.name();
    }

    /** The typed task this decoder applies. */
    public Task kind() {
        return task;
    }

    public List<String> labels() {
        return task.labels();
    }

    /** The multi-label threshold; NaN for other tasks. */
    public double threshold() {
        return task instanceof Task.MultiLabel m ? m.threshold() : Double.NaN;
    }

    /** The activated outputs {@code [B, k]} in float32, whatever precision the forward pass used. */
    public dev.kodiak.tensor.Tensor activate(dev.kodiak.tensor.Tensor output) {
        return NativeTensors.wrap(activate(NativeTensors.unwrap(output)));
    }

    org.bytedeco.pytorch.Tensor activate(org.bytedeco.pytorch.Tensor output) {
        org.bytedeco.pytorch.Tensor y = output.to(torch.ScalarType.Float);
        if (task instanceof Task.SingleLabel) {
            return torch.softmax(y, 1);
        }
        if (task instanceof Task.MultiLabel) {
            return torch.sigmoid(y);
        }
        SigmoidRange r = ((Task.Regression) task).sigmoidRange();
        // fastai's sigmoid_range: the head's linear outputs squashed into [lo, hi] (per output)
        return r == null ? y : NativeTensors.unwrap(r.apply(NativeTensors.wrap(y)));
    }

    /** The answer for the item whose {@code k} activated outputs start at {@code offset} in {@code activated}. */
    public Answer decode(float[] activated, int offset) {
        List<String> labels = task.labels();
        int k = labels.size();
        if (task instanceof Task.Regression) {
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
        if (task instanceof Task.MultiLabel m) {
            List<Integer> above = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                if (activated[offset + j] >= m.threshold()) {
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
        if (predictions.k() != task.labels().size()) {
            throw new KodiakException("the predictions have " + predictions.k() + " outputs per item but the decoder "
                    + task.labels().size() + " labels: decode them with the learner's own decoder");
        }
        List<Answer> answers = new ArrayList<>(predictions.n());
        for (int i = 0; i < predictions.n(); i++) {
            answers.add(decode(predictions.outputs(), i * predictions.k()));
        }
        return answers;
    }
}
