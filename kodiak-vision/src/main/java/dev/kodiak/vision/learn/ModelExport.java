package dev.kodiak.vision.learn;

import dev.kodiak.KodiakException;
import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Datasets;
import dev.kodiak.data.InputBlock;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.engine.Engine;
import dev.kodiak.learn.EpochResult;
import dev.kodiak.learn.Learner;
import dev.kodiak.model.ItemTransformSpec;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.models.Heads;
import dev.kodiak.models.VisionModel;
import dev.kodiak.vision.transforms.Normalize;
import dev.kodiak.vision.transforms.TransformSpecs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a vision learner's manifest and writes its {@code .kodiak} file. */
public final class ModelExport {
    static {
        Engine.init(); // libtorch loads here, safely, before this class can touch it (ENGINE.md: cold cache)
    }

    /** The head fastai builds: hidden layer width. */
    static final int HEAD_HIDDEN = 512;

    private ModelExport() {
    }

    /** The manifest of {@code learn}'s current model. */
    @SuppressWarnings("unchecked")
    public static Manifest manifest(Learner learn) {
        VisionModel model = VisionLearner.model(learn);
        DataLoaders<?> dls = learn.dls();
        Normalize norm = normalize(dls);
        InputBlock<?> block = dls.input();
        Datasets ds = dls.datasets();
        Map<String, Integer> epochs = new LinkedHashMap<>();
        for (EpochResult r : learn.recorder().epochs()) {
            epochs.merge(r.phase(), 1, Integer::sum);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        EpochResult last = learn.recorder().lastEpoch();
        if (last != null) {
            metrics.put("valid_loss", last.validLoss());
            metrics.putAll(last.metrics());
        }
        Path root = ds.source().toAbsolutePath().normalize();
        Manifest.Data data = new Manifest.Data(root.toString(), fingerprint(ds), ds.splitter().spec(),
                ds.labeller().spec(), relative(root, ds.validItems()), relative(root, ds.testItems()), csvTargets(ds));
        Manifest.Training training = new Manifest.Training(data, learn.pretrainedWith(), learn.recipe(), epochs,
                metrics, learn.autocast() || hasMixedPrecision(learn) ? "bf16" : "fp32", learn.worldSize());
        // a block that fixes its encoded size records its own parameters (sound); images record their transforms
        int[] fixed = block.encodedSize();
        List<ItemTransformSpec> specs = fixed != null ? List.of()
                : TransformSpecs.toSpecs((List<ItemTransform<RgbImage>>) (List<?>) dls.itemTransforms());
        List<Integer> size = fixed != null ? List.of(fixed[0], fixed[1]) : inputSize(specs);
        return Manifest.of(KodiakVersion.get(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                modelSection(model),
                new Manifest.Input(block.kind(), block.channels(), size, specs,
                        new Manifest.Normalization(doubles(norm.mean()), doubles(norm.std())), block.parameters()),
                learn.task().output(learn.loss().name()),
                training);
    }

    // how a CSV table's targets were read, for interpret/compare to read them again; null for other labellers
    private static Manifest.CsvTargets csvTargets(Datasets ds) {
        if (!(ds.labeller() instanceof dev.kodiak.data.CsvTable.ColumnLabeller c)) {
            return null;
        }
        dev.kodiak.data.CsvSource s = c.source();
        return new Manifest.CsvTargets(s.csv().toString(), s.fileColumn(), s.labelColumns(), s.labelDelimiter(),
                s.validColumn());
    }

    private static Manifest.Model modelSection(VisionModel model) {
        if (!Heads.FASTAI.equals(model.headName())) { // a custom head takes the feature map; its layers are its own
            return new Manifest.Model(model.architecture().name(),
                    new Manifest.Head(model.headName(), model.architecture().bodyFeatures(), 0, model.classes()));
        }
        return new Manifest.Model(model.architecture().name(),
                new Manifest.Head(Heads.FASTAI, 2 * model.architecture().bodyFeatures(), HEAD_HIDDEN, model.classes()));
    }

    /**
     * Writes {@code model} as it is (e.g. freshly initialised) into a single-label model file that takes
     * {@code size}x{@code size} images, centre-cropped and ImageNet-normalized: for benchmarks and tests that need
     * a real {@code .kodiak} file without training one. Its manifest records no training.
     */
    public static void writeUntrained(VisionModel model, List<String> labels, int size, Path file) {
        if (labels.size() != model.classes()) {
            throw new KodiakException("the model has " + model.classes() + " outputs but " + labels.size() + " labels were given");
        }
        Normalize norm = Normalize.imagenet();
        List<ItemTransformSpec> items = TransformSpecs.toSpecs(List.of(dev.kodiak.vision.transforms.Resize.to(size)));
        Manifest manifest = Manifest.of(KodiakVersion.get(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                modelSection(model), Manifest.Input.image(inputSize(items), items,
                        new Manifest.Normalization(doubles(norm.mean()), doubles(norm.std()))),
                new Manifest.Output(Manifest.SINGLE_LABEL, labels, "cross_entropy", null), null);
        ModelFile.write(file, manifest, model.stateDict());
    }

    private static List<Integer> inputSize(List<ItemTransformSpec> specs) {
        int[] size = TransformSpecs.outputSize(specs);
        if (size == null) {
            throw new KodiakException("the data has no resizing item transform (e.g. Resize.to(224)): a model file must"
                    + " record the input size its images are brought to");
        }
        return List.of(size[0], size[1]);
    }

    private static boolean hasMixedPrecision(Learner learn) {
        return learn.callbacks().stream().anyMatch(c -> c instanceof dev.kodiak.learn.MixedPrecision);
    }

    private static Normalize normalize(DataLoaders<?> dls) {
        for (BatchTransform t : dls.batchTransforms()) {
            if (t instanceof Normalize n) {
                return n;
            }
        }
        throw new KodiakException("the data has no Normalize batch transform: a model file must record one");
    }

    private static List<String> relative(Path root, List<Path> files) {
        List<String> out = new ArrayList<>(files.size());
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            out.add(abs.startsWith(root) ? root.relativize(abs).toString() : abs.toString());
        }
        return out;
    }

    /** SHA-256 over every item's relative path and size: changes when the data does. */
    static String fingerprint(Datasets ds) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Path root = ds.source().toAbsolutePath().normalize();
            List<String> lines = new ArrayList<>();
            for (Path p : ds.items()) {
                Path abs = p.toAbsolutePath().normalize();
                long size = Files.isRegularFile(abs) ? Files.size(abs) : -1;
                lines.add((abs.startsWith(root) ? root.relativize(abs) : abs) + "\t" + size);
            }
            lines.sort(String::compareTo);
            for (String l : lines) {
                md.update(l.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static List<Double> doubles(float[] values) {
        List<Double> out = new ArrayList<>();
        for (float v : values) {
            out.add(Double.parseDouble(Float.toString(v))); // 0.485f is written as 0.485, not 0.48500001430511475
        }
        return out;
    }
}
