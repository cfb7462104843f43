package dev.kodiak.vision.testing;

import dev.kodiak.data.DataLoaders;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A tiny trained classifier for tests: reddish vs bluish noisy squares of 40x36 px (so the crop matters), a
 * random-init ResNet-18 trained one epoch at 32 px. Takes a few seconds.
 */
public final class TinyModel {
    public static final List<String> LABELS = List.of("blue", "red");

    private TinyModel() {
    }

    /** {@code perLabel} PNGs in {@code dir/red} and {@code dir/blue}. */
    public static Path dataset(Path dir, int perLabel) {
        Random random = new Random(7);
        for (String label : LABELS) {
            for (int i = 0; i < perLabel; i++) {
                BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                for (int y = 0; y < 36; y += 4) {
                    for (int x = 0; x < 40; x += 4) {
                        int base = 60 + random.nextInt(120);
                        int strong = 150 + random.nextInt(105);
                        g.setColor(label.equals("red") ? new Color(strong, base / 2, base / 2)
                                : new Color(base / 2, base / 2, strong));
                        g.fillRect(x, y, 4, 4);
                    }
                }
                g.dispose();
                write(img, dir.resolve(label).resolve(label + "_" + i + ".png"));
            }
        }
        return dir;
    }

    /** Loaders over {@link #dataset}: 25% validation, seed 42, 32 px crops, batch 8. */
    public static DataLoaders<RgbImage> loaders(Path data) {
        return DataBlock.builder()
                .blocks(ImageBlock.rgb(), CategoryBlock.create())
                .items(ImageFiles::find)
                .splitter(Splitters.random(0.25, 42))
                .label(Labels.parentFolder())
                .itemTransforms(Resize.to(32))
                .build()
                .dataLoaders(data, LoaderOptions.defaults().withBatchSize(8).withWorkers(2));
    }

    /** A learner on {@code dls} trained one epoch from random weights. */
    public static Learner trained(DataLoaders<RgbImage> dls) {
        VisionLearnerOptions options = VisionLearnerOptions.defaults().weights(PretrainedChoice.none()).seed(1L)
                .metrics(List.of(Metrics.errorRate()));
        Learner learn = VisionLearner.create(dls, Architectures.RESNET18, options);
        learn.log(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        learn.fitOneCycle(1, 1e-3);
        return learn;
    }

    public static void write(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
