package dev.kodiak.spark;

import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.learn.Learner;
import dev.kodiak.vision.ImageBlock;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearner;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.transforms.Resize;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo data (data/clipart3: animals, flags, food) cut to a few images per class, and a small ResNet-18 trained on
 * it for one epoch at 32 px: one per test JVM (seconds). Good enough to predict with; nobody checks its accuracy.
 */
final class DemoModel {
    static final List<String> CLASSES = List.of("animals", "flags", "food");
    private static Path images;
    private static Path model;

    private DemoModel() {
    }

    /** A folder with {@code animals/}, {@code flags/}, {@code food/}: the first 4 demo images of each, by name. */
    static synchronized Path images() {
        if (images == null) {
            try {
                Path demo = Path.of("..", "data", "clipart3").toAbsolutePath().normalize();
                images = Files.createTempDirectory("kodiak-spark-demo").resolve("clipart3");
                for (String c : CLASSES) {
                    Files.createDirectories(images.resolve(c));
                    try (Stream<Path> files = Files.list(demo.resolve(c))) {
                        for (Path f : files.sorted().limit(4).toList()) {
                            Files.copy(f, images.resolve(c).resolve(f.getFileName()));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return images;
    }

    /** The trained model file. */
    static synchronized Path model() {
        if (model == null) {
            Path out = images().getParent().resolve("clipart3.kodiak");
            try (DataLoaders<RgbImage> dls = DataBlock.builder()
                    .blocks(ImageBlock.rgb(), CategoryBlock.create())
                    .items(ImageFiles::find)
                    .splitter(Splitters.random(0.25, 42))
                    .label(Labels.parentFolder())
                    .itemTransforms(Resize.to(32))
                    .build()
                    .dataLoaders(images(), LoaderOptions.defaults().withBatchSize(8).withWorkers(1))) {
                Learner learn = VisionLearner.create(dls, Architectures.RESNET18, VisionLearnerOptions.defaults()
                        .weights(PretrainedChoice.none()).seed(1L));
                learn.log(new PrintStream(OutputStream.nullOutputStream()));
                learn.fitOneCycle(1, 1e-3);
                learn.export(out);
            }
            model = out;
        }
        return model;
    }
}
