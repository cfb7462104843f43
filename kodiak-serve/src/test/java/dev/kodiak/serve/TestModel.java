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

    static void write(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
