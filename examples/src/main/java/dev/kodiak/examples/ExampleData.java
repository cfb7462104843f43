package dev.kodiak.examples;

import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.vision.ImageBlock;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.vision.learn.PretrainedChoice;
import dev.kodiak.vision.learn.VisionLearnerOptions;
import dev.kodiak.vision.transforms.Resize;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the "extend Kodiak" examples share: the data (a folder of images, one sub-folder per label; Kodiak's demo
 * clip art by default), small images and a ResNet-18 from random weights, so that each example runs in seconds on a
 * laptop and without a download. Real training would use pretrained weights and bigger images.
 */
final class ExampleData {
    /** Small enough for a CPU to run an epoch in seconds. */
    static final int SIZE = 32;
    static final int BATCH_SIZE = 8;

    private ExampleData() {
    }

    /** The folder given as the first argument, else the demo data ($KODIAK_HOME/data/clipart3 or ./data/clipart3). */
    static Path folder(String[] args) {
        if (args.length > 0) {
            return Path.of(args[0]);
        }
        String home = System.getProperty("kodiak.home", System.getenv().getOrDefault("KODIAK_HOME", "."));
        return Path.of(home, "data", "clipart3");
    }

    /** Images labelled by their folder, 25% (seed 42) kept for validation, {@link #SIZE} pixels, extra batch transforms. */
    static DataLoaders<RgbImage> loaders(Path folder, BatchTransform... batchTransforms) {
        DataBlock<RgbImage> block = DataBlock.builder()
                .blocks(ImageBlock.rgb(), CategoryBlock.create())
                .items(ImageFiles::find)
                .splitter(Splitters.random(0.25, 42))
                .label(Labels.parentFolder())
                .itemTransforms(Resize.to(SIZE))
                .batchTransforms(batchTransforms)
                .build();
        return block.dataLoaders(folder, LoaderOptions.defaults().withBatchSize(BATCH_SIZE));
    }

    /** Random weights (no download), a fixed seed, error rate and {@code extra} metrics. */
    static VisionLearnerOptions options(Metric... extra) {
        List<Metric> metrics = new ArrayList<>(List.of(Metrics.errorRate()));
        metrics.addAll(List.of(extra));
        return VisionLearnerOptions.defaults().weights(PretrainedChoice.none()).seed(42L).metrics(metrics);
    }
}
