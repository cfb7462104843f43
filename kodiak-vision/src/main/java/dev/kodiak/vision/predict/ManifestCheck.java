package dev.kodiak.vision.predict;

import dev.kodiak.KodiakException;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.StateDict;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.models.Architecture;
import dev.kodiak.models.Architectures;
import dev.kodiak.models.HeadFactory;
import dev.kodiak.models.Heads;
import dev.kodiak.models.VisionModel;
import dev.kodiak.vision.transforms.Normalize;
import dev.kodiak.vision.transforms.Resize;
import dev.kodiak.vision.transforms.TransformSpecs;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Checks that a model file's manifest describes something this Kodiak can run, before any weight is touched; each
 * problem is a {@link KodiakException} that names the file and the field. Public for the other readers of a model
 * file (the ONNX export), so that every reader refuses the same files with the same words.
 */
public final class ManifestCheck {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    private final Path file;
    private final Manifest m;

    public ManifestCheck(Path file, Manifest manifest) {
        this.file = file;
        this.m = manifest;
    }

    public Architecture architecture() {
        if (m.model().architecture() == null) {
            throw fail("it names no architecture");
        }
        try {
            return Architectures.byName(m.model().architecture());
        } catch (KodiakException e) {
            throw fail(e.getMessage() + " (written by a newer Kodiak?)");
        }
    }

    public String task() {
        if (m.output().task() == null) {
            throw fail("it has no task (single-label, multi-label or regression)");
        }
        return m.output().task();
    }

    /** The labels (classes or value names), checked against the head. */
    public List<String> labels(Architecture arch) {
        List<String> labels = m.output().labels();
        if (labels.isEmpty()) {
            throw fail("it lists no labels");
        }
        if (labels.size() > VisionModel.MAX_CLASSES) { // before the head is built: its last layer grows with them
            throw fail("it lists " + labels.size() + " labels, more than the " + VisionModel.MAX_CLASSES
                    + " a Kodiak model may have");
        }
        if (new HashSet<>(labels).size() != labels.size()) {
            throw fail("its labels are not unique: " + labels);
        }
        Manifest.Head head = m.model().head();
        if (head == null) {
            throw fail("it does not describe the head");
        }
        if (head.outputs() != labels.size()) {
            throw fail("the head has " + head.outputs() + " outputs but " + labels.size() + " labels are listed");
        }
        if (!Heads.FASTAI.equals(head.type())) { // a custom head: what it takes is the body's feature map
            if (head.inputFeatures() != arch.bodyFeatures()) {
                throw fail("the head takes " + head.inputFeatures() + " features but a " + arch.name() + " body gives "
                        + arch.bodyFeatures());
            }
            return labels;
        }
        if (head.hidden() != VisionModel.HEAD_HIDDEN) {
            throw fail("head.hidden is " + head.hidden() + ", but the fastai head Kodiak builds has "
                    + VisionModel.HEAD_HIDDEN + " hidden features");
        }
        if (head.inputFeatures() != 2 * arch.bodyFeatures()) {
            throw fail("the head takes " + head.inputFeatures() + " features but a " + arch.name() + " body gives "
                    + 2 * arch.bodyFeatures() + " (max and average pooled)");
        }
        return labels;
    }

    /**
     * The factory of the head the file names: fastai's, or a custom head this program knows (see {@link Heads}); an
     * unknown one is an error that names it and says how to register it.
     */
    public HeadFactory head() {
        Manifest.Head head = m.model().head();
        if (head == null) {
            throw fail("it does not describe the head");
        }
        try {
            return Heads.byName(head.type());
        } catch (KodiakException e) {
            throw fail(e.getMessage());
        }
    }

    public double threshold(String task) {
        if (!Manifest.MULTI_LABEL.equals(task)) {
            return Double.NaN;
        }
        Double t = m.output().threshold();
        if (t == null || !(t > 0 && t < 1)) {
            throw fail("a multi-label model needs a threshold between 0 and 1, got " + t);
        }
        return t;
    }

    public List<ItemTransform<RgbImage>> itemTransforms() {
        try {
            return TransformSpecs.fromSpecs(m.input().itemTransforms());
        } catch (KodiakException e) {
            throw fail(e.getMessage());
        }
    }

    /**
     * {height, width} the model takes: the manifest's input_size, which must agree with the item transforms; an input
     * kind that records its own parameters (sound: mels × frames) fixes the size itself, and its reader checks it.
     */
    public int[] inputSize() {
        List<Integer> recorded = m.input().size();
        if (m.input().parameters() != null) {
            if (recorded == null || recorded.size() != 2 || recorded.get(0) == null || recorded.get(1) == null
                    || recorded.get(0) < 1 || recorded.get(1) < 1 || recorded.get(0) > Resize.MAX_SIDE
                    || recorded.get(1) > Resize.MAX_SIDE) {
                throw fail("input_size must be [height, width] between 1 and " + Resize.MAX_SIDE + ", got " + recorded);
            }
            return new int[] {recorded.get(0), recorded.get(1)};
        }
        int[] fromTransforms;
        try {
            fromTransforms = TransformSpecs.outputSize(m.input().itemTransforms());
        } catch (KodiakException e) {
            throw fail(e.getMessage());
        }
        if (fromTransforms == null) {
            throw fail("its item transforms do not bring images to one size (no resize)");
        }
        if (recorded != null && (recorded.size() != 2 || !Objects.equals(recorded.get(0), fromTransforms[0])
                || !Objects.equals(recorded.get(1), fromTransforms[1]))) {
            throw fail("input_size " + recorded + " disagrees with the item transforms, which give "
                    + fromTransforms[0] + "x" + fromTransforms[1]);
        }
        if (fromTransforms[0] < 1 || fromTransforms[1] < 1 || fromTransforms[0] > Resize.MAX_SIDE
                || fromTransforms[1] > Resize.MAX_SIDE) {
            throw fail("its input size " + fromTransforms[1] + "x" + fromTransforms[0] + " is not between 1 and "
                    + Resize.MAX_SIDE + " pixels a side");
        }
        return fromTransforms;
    }

    /** Input channels: 3 (RGB) or 1 (spectrograms, greyscale). */
    public int channels() {
        int c = m.input().channels();
        if (c != 1 && c != 3) {
            throw fail("the model takes " + c + " input channels; Kodiak's models take 3 (RGB) or 1 (spectrograms)");
        }
        return c;
    }

    public Normalize normalize() {
        int channels = channels();
        Manifest.Normalization n = m.input().normalization();
        if (n == null || n.mean() == null || n.std() == null) {
            throw fail("it records no normalization (mean and std)");
        }
        if (n.mean().size() != channels || n.std().size() != channels) {
            throw fail("normalization needs " + channels + " means and " + channels + " stds (one per input channel), got "
                    + n.mean().size() + " and " + n.std().size());
        }
        for (int c = 0; c < channels; c++) {
            Double mean = n.mean().get(c);
            Double std = n.std().get(c);
            if (mean == null || std == null) {
                throw fail("normalization." + (mean == null ? "mean" : "std") + "[" + c + "] is missing (null)");
            }
            String problem = Normalize.problem(mean, std);
            if (problem != null) { // checked as recorded, before narrowing: 1e-40 would become a float denormal
                String field = problem.startsWith("mean") ? "mean" : "std";
                throw fail("normalization." + field + "[" + c + "]: " + problem.replace("{} ", "")
                        .replaceFirst("^(mean|std) ", ""));
            }
        }
        try {
            return Normalize.of(floats(n.mean()), floats(n.std()));
        } catch (KodiakException e) {
            throw fail(e.getMessage());
        }
    }

    private KodiakException fail(String problem) {
        return new KodiakException("model file " + file + ": the manifest is invalid: " + problem);
    }

    private static float[] floats(List<Double> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i).floatValue();
        }
        return f;
    }

    /**
     * The file's weights, read within the sizes {@code model} allows and checked against it name by name and shape by
     * shape; {@code again} ends the message when the file changed under the read (e.g. {@code "load it again"}).
     */
    public StateDict checkedWeights(VisionModel model, int outputs, String again) {
        String what = model.architecture().name() + " with a " + outputs + "-output head";
        ModelFile.Contents contents = ModelFile.read(file, ModuleState.limits(model, "a " + what));
        if (!contents.manifest().equals(m)) {
            throw new KodiakException("model file " + file + " changed while it was being read: " + again);
        }
        List<String> problems = ModuleState.problems(model, contents.weights(), true);
        if (!problems.isEmpty()) {
            throw new KodiakException("model file " + file + ": its weights do not fit the " + what
                    + " that its manifest describes: " + String.join("; ", problems)
                    + ". The file was altered or is damaged; export it again.");
        }
        return contents.weights();
    }
}
