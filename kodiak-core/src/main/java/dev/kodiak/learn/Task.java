package dev.kodiak.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.MultiCategoryBlock;
import dev.kodiak.data.TargetBlock;
import dev.kodiak.model.Manifest;
import java.util.List;
import java.util.Locale;

/**
 * What a model predicts, and so how its outputs become answers: one class of {@code labels} (single-label), a set of
 * labels at or above a threshold (multi-label), or one number per target name, optionally squashed into a y-range
 * (regression). The manifest, the learner, the {@code Predictor}, interpretation and the CLI all read a model's task
 * from here; {@link OutputDecoder} applies it to tensors. Outside Java the tasks are named {@code single-label},
 * {@code multi-label} and {@code regression}.
 */
public sealed interface Task permits Task.SingleLabel, Task.MultiLabel, Task.Regression {
    /** fastai's default for multi-label: a label is predicted from probability 0.5. */
    double DEFAULT_THRESHOLD = 0.5;

    /** {@code single-label}, {@code multi-label} or {@code regression}. */
    String name();

    /** The output names in output order: class names, or regression target names. */
    List<String> labels();

    /** One class per item: softmax over the classes. */
    record SingleLabel(List<String> labels) implements Task {
        public SingleLabel {
            labels = List.copyOf(labels);
        }

        @Override
        public String name() {
            return Manifest.SINGLE_LABEL;
        }
    }

    /**
     * A set of labels per item: a sigmoid per label; the labels at or above {@code threshold} are predicted.
     *
     * @param tuned true when the threshold was chosen on the validation set ({@code --threshold auto}), so metrics
     *              reported on that set at this threshold are optimistic
     */
    record MultiLabel(List<String> labels, double threshold, boolean tuned) implements Task {
        public MultiLabel {
            labels = List.copyOf(labels);
            if (!(threshold > 0 && threshold < 1)) {
                throw new KodiakException("a multi-label threshold must be between 0 and 1, got " + threshold);
            }
        }

        @Override
        public String name() {
            return Manifest.MULTI_LABEL;
        }
    }

    /**
     * One number per target name; with y-ranges, fastai's {@code sigmoid_range}: {@code lo + (hi - lo) * sigmoid(x)}.
     *
     * @param yRanges the ranges the outputs are squashed into: empty for plain linear outputs, one range for every
     *                output, or one per output (in label order)
     */
    record Regression(List<String> labels, List<YRange> yRanges) implements Task {
        public Regression {
            labels = List.copyOf(labels);
            yRanges = yRanges == null ? List.of() : List.copyOf(yRanges);
            if (yRanges.size() > 1 && yRanges.size() != labels.size()) {
                throw new KodiakException("a regression with " + labels.size() + " targets " + labels + " takes one "
                        + "y-range for all or one per target, got " + yRanges.size() + ": " + yRanges);
            }
        }

        /** One range for every output ({@code null}: none). */
        public Regression(List<String> labels, YRange yRange) {
            this(labels, yRange == null ? List.of() : List.of(yRange));
        }

        @Override
        public String name() {
            return Manifest.REGRESSION;
        }

        /** The squashing of the outputs, or null for plain linear outputs. */
        public SigmoidRange sigmoidRange() {
            return yRanges.isEmpty() ? null : SigmoidRange.of(yRanges, labels.size());
        }
    }

    /**
     * The task named {@code name} (also the names of model files written before format v2.1: {@code single_label},
     * {@code multi_label}) with its labels; {@code threshold} applies to multi-label (null: 0.5), {@code yRange} to
     * regression.
     */
    static Task of(String name, List<String> labels, Double threshold, boolean tuned, List<YRange> yRanges) {
        return switch (canonicalName(name)) {
            case Manifest.SINGLE_LABEL -> new SingleLabel(labels);
            case Manifest.MULTI_LABEL -> new MultiLabel(labels, threshold == null ? DEFAULT_THRESHOLD : threshold, tuned);
            default -> new Regression(labels, yRanges);
        };
    }

    /** The task a model file's output section records (a file without a task is single-label). */
    static Task of(Manifest.Output output) {
        List<Double> r = output.yRange() == null ? List.of() : output.yRange();
        List<YRange> yRanges = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < r.size(); i += 2) {
            yRanges.add(new YRange(r.get(i), r.get(i + 1)));
        }
        return of(output.task() == null ? Manifest.SINGLE_LABEL : output.task(), output.labels(), output.threshold(),
                Boolean.TRUE.equals(output.thresholdTuned()), yRanges);
    }

    /** The task of a learner whose data has {@code target}: its vocabulary as labels, threshold 0.5, no y-range. */
    static Task forTarget(TargetBlock target) {
        if (target instanceof CategoryBlock) {
            return new SingleLabel(target.vocab());
        }
        if (target instanceof MultiCategoryBlock) {
            return new MultiLabel(target.vocab(), DEFAULT_THRESHOLD, false);
        }
        return new Regression(target.vocab(), List.of());
    }

    /**
     * {@code single-label}, {@code multi-label} or {@code regression} for {@code name} in any of its spellings
     * ({@code single_label} is what files of format version 1 and early version 2 say), else an error.
     */
    static String canonicalName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (List.of(Manifest.SINGLE_LABEL, Manifest.MULTI_LABEL, Manifest.REGRESSION).contains(n)) {
            return n;
        }
        throw new KodiakException("unknown task '" + name + "': use single-label, multi-label or regression");
    }

    /** This task as a model file's output section, trained with {@code loss}. */
    default Manifest.Output output(String loss) {
        if (this instanceof MultiLabel m) {
            return new Manifest.Output(name(), labels(), loss, m.threshold(), m.tuned() ? Boolean.TRUE : null, null);
        }
        if (this instanceof Regression r && !r.yRanges().isEmpty()) {
            List<Double> pairs = r.yRanges().stream().flatMap(y -> java.util.stream.Stream.of(y.lo(), y.hi())).toList();
            return new Manifest.Output(name(), labels(), loss, null, null, pairs);
        }
        return new Manifest.Output(name(), labels(), loss, null, null, null);
    }
}
