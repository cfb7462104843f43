package dev.kodiak.serve;

import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.model.Manifest;
import dev.kodiak.model.ModelFile;
import dev.kodiak.vision.ImageBlock;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.transforms.Resize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** A tiny red-vs-blue classifier for the server tests: noisy 40x36 PNGs, ResNet-18 from random weights, 1 epoch at 32 px. */
final class TestModel {
    static final List<String> LABELS = List.of("blue", "red");

    private TestModel() {
    }

    /** {@code perLabel} PNGs in {@code dir/red} and {@code dir/blue}. */
    static Path dataset(Path dir, int perLabel) {
        Random random = new Random(7);
        for (String label : LABELS) {
            for (int i = 0; i < perLabel; i++) {
                write(square(label, random), dir.resolve(label).resolve(String.format("%s_%02d.png", label, i)));
            }
        }
        return dir;
    }

    /** A reddish or bluish noisy picture. */
    static BufferedImage square(String label, Random random) {
        BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        for (int y = 0; y < 36; y += 4) {
            for (int x = 0; x < 40; x += 4) {
                int base = 60 + random.nextInt(120);
                int strong = 150 + random.nextInt(105);
                g.setColor(label.equals("red") ? new Color(strong, base / 2, base / 2) : new Color(base / 2, base / 2, strong));
                g.fillRect(x, y, 4, 4);
            }
        }
        g.dispose();
        return img;
    }

    static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trains on {@code data} (25% validation, seed 42) and writes the model file {@code out}. */
    static Path train(Path data, Path out) {
        try (DataLoaders<RgbImage> dls = DataBlock.builder()
                .blocks(ImageBlock.rgb(), CategoryBlock.create())
                .items(ImageFiles::find)
                .splitter(Splitters.random(0.25, 42))
                .label(Labels.parentFolder())
                .itemTransforms(Resize.to(32))
                .build()
                .dataLoaders(data, LoaderOptions.defaults().withBatchSize(8).withWorkers(2))) {
            VisionLearnerOptions options = VisionLearnerOptions.defaults().weights(PretrainedChoice.none()).seed(1L)
                    .metrics(List.of(Metrics.errorRate()));
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18, options);
            learn.log(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            learn.fitOneCycle(1, 1e-3);
            learn.export(out);
        }
        return out;
    }

    private static Path sharedData;
    private static Path sharedModel;

    /**
     * One model per test JVM (training takes seconds): trained on {@link #sharedData()} (12 images per label).
     * Tests must not change the shared folder; copy it with {@link #copyWithModel}.
     */
    static synchronized Path shared() {
        if (sharedModel == null) {
            try {
                Path dir = Files.createTempDirectory("kodiak-serve-test");
                sharedData = dataset(dir.resolve("colours"), 12);
                sharedModel = train(sharedData, dir.resolve("colours.kodiak"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sharedModel;
    }

    static synchronized Path sharedData() {
        shared();
        return sharedData;
    }

    /**
     * Copies the shared data to {@code dir} and writes the shared model to {@code model} as if it had been trained
     * on the copy (its manifest's data root names {@code dir}), so a test may change the files freely.
     */
    static Path copyWithModel(Path dir, Path model) {
        Path source = sharedData();
        try (var files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = dir.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
            ModelFile.Contents c = ModelFile.read(shared());
            Manifest m = c.manifest();
            Manifest.Training t = m.training();
            Manifest.Data d = t.data();
            Manifest.Training moved = new Manifest.Training(new Manifest.Data(dir.toAbsolutePath().toString(),
                    d.fingerprint(), d.split(), d.labelSpec(), d.validFiles(), d.testFiles()), t.pretrained(), t.recipe(),
                    t.epochs(), t.metrics(), t.precision());
            ModelFile.write(model, m.with(m.model(), m.input(), m.output(), moved), c.weights());
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A model trained (1 epoch) from a labels CSV inside {@code dir}, as {@code kodiak train --csv} trains: 16 images
     * {@code img/NN.png}, half red half blue, with every fourth in the validation set ({@code is_valid}), labelled for
     * {@code kind}: single-label {@code colour} (red/blue); multi-label {@code tags} ("red", "blue", "red warm", space
     * delimited); regression {@code w,h} (two numbers). The CSV is {@code labels.csv}; the model {@code dir.kodiak}.
     * Trained once per kind and test JVM, then copied as if trained on {@code dir}, so a test may change the files.
     */
    static synchronized Path csvModel(Path dir, dev.kodiak.data.TaskKind kind) {
        Path trained = SHARED_CSV.computeIfAbsent(kind, k -> {
            try {
                return trainCsvModel(Files.createTempDirectory("kodiak-serve-csv").resolve(k.cliName()), k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Path source = trained.resolveSibling(kind.cliName());
        Path model = dir.resolveSibling(dir.getFileName() + ".kodiak");
        try (var files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path target = dir.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
            ModelFile.Contents c = ModelFile.read(trained);
            Manifest m = c.manifest();
            Manifest.Training t = m.training();
            Manifest.Data d = t.data();
            Manifest.Training moved = new Manifest.Training(new Manifest.Data(dir.toAbsolutePath().toString(),
                    d.fingerprint(), d.split(), d.labelSpec(), d.validFiles(), d.testFiles(), d.csv()), t.pretrained(),
                    t.recipe(), t.epochs(), t.metrics(), t.precision());
            ModelFile.write(model, m.with(m.model(), m.input(), m.output(), moved), c.weights());
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.Map<dev.kodiak.data.TaskKind, Path> SHARED_CSV =
            new java.util.EnumMap<>(dev.kodiak.data.TaskKind.class);

    private static Path trainCsvModel(Path dir, dev.kodiak.data.TaskKind kind) {
        Random random = new Random(11);
        StringBuilder csv = new StringBuilder(switch (kind) {
            case SINGLE_LABEL -> "file,colour,is_valid\n";
            case MULTI_LABEL -> "file,tags,is_valid\n";
            case REGRESSION -> "file,w,h,is_valid\n";
        });
        for (int i = 0; i < 16; i++) {
            String colour = i % 2 == 0 ? "red" : "blue";
            String name = String.format("img/%02d.png", i);
            write(square(colour, random), dir.resolve(name));
            String target = switch (kind) {
                case SINGLE_LABEL -> colour;
                case MULTI_LABEL -> i % 4 == 0 ? "red warm" : colour;
                case REGRESSION -> (colour.equals("red") ? 10 + i : 2 + i / 2.0) + "," + (i % 3);
            };
            csv.append(name).append(',').append(target).append(',').append(i % 4 == 3 ? "yes" : "no").append('\n');
        }
        try {
            Files.writeString(dir.resolve("labels.csv"), csv.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dev.kodiak.data.CsvSource source = new dev.kodiak.data.CsvSource(Path.of("labels.csv"), "file",
                kind == dev.kodiak.data.TaskKind.REGRESSION ? List.of("w", "h") : List.of(),
                kind == dev.kodiak.data.TaskKind.MULTI_LABEL ? " " : null, "is_valid");
        dev.kodiak.data.CsvTable table = dev.kodiak.data.CsvTable.read(source, dir, false).checkedFor(kind, false);
        dev.kodiak.data.TargetBlock target = switch (kind) {
            case SINGLE_LABEL -> CategoryBlock.create();
            case MULTI_LABEL -> dev.kodiak.data.MultiCategoryBlock.create();
            case REGRESSION -> dev.kodiak.data.RegressionBlock.named("w", "h");
        };
        Path out = dir.resolveSibling(dir.getFileName() + ".kodiak");
        try (DataLoaders<RgbImage> dls = DataBlock.builder()
                .blocks(ImageBlock.rgb(), target)
                .items(d -> table.files())
                .splitter(table.splitter())
                .label(table.labeller(kind))
                .itemTransforms(Resize.to(32))
                .build()
                .dataLoaders(dir, LoaderOptions.defaults().withBatchSize(8).withWorkers(2))) {
            Learner learn = VisionLearner.create(dls, Architectures.RESNET18,
                    VisionLearnerOptions.defaults().weights(PretrainedChoice.none()).seed(1L));
            learn.log(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            learn.fitOneCycle(1, 1e-3);
            learn.export(out);
        }
        return out;
    }

    static void write(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of the single-label CSV model trained on {@code data} whose manifest names {@code outside}, a copy of its
     * CSV outside the data folder, by its absolute path: what the cleaner must show read-only. Written to
     * {@code modelOut}.
     */
    static Path csvModelWithCsvOutside(Path data, Path outside, Path modelOut) throws IOException {
        Path model = csvModel(data, dev.kodiak.data.TaskKind.SINGLE_LABEL);
        Files.writeString(outside, Files.readString(data.resolve("labels.csv")));
        ModelFile.Contents c = ModelFile.read(model);
        Manifest m = c.manifest();
        Manifest.Training t = m.training();
        Manifest.Data dd = t.data();
        Manifest.CsvTargets csv = dd.csv();
        Manifest.Data moved = new Manifest.Data(dd.root(), dd.fingerprint(), dd.split(), dd.labelSpec(), dd.validFiles(),
                dd.testFiles(), new Manifest.CsvTargets(outside.toString(), csv.fileColumn(), csv.labelColumns(),
                csv.labelDelimiter(), csv.validColumn()));
        ModelFile.write(modelOut, m.with(m.model(), m.input(), m.output(), new Manifest.Training(moved, t.pretrained(),
                t.recipe(), t.epochs(), t.metrics(), t.precision())), c.weights());
        return modelOut;
    }
}
