package dev.kodiak.cli;

import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.LabelSpec;
import dev.kodiak.data.SplitSpec;
import dev.kodiak.vision.ImageBlock;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.RgbImage;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every data-reading verb shares: which folder, how to split it, how to label it. */
final class DataOptions {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Folder of images, one sub-folder per label (default: the embedded demo data).")
    Path dir;

    @Option(names = "--valid-pct", paramLabel = "P", defaultValue = "0.2",
            description = "Fraction of the images kept for validation (default: ${DEFAULT-VALUE}).")
    double validPct;

    @Option(names = "--test-pct", paramLabel = "P", defaultValue = "0",
            description = "Fraction held out as a test set that training never sees (default: none).")
    double testPct;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "42",
            description = "Seed of the random split, shuffling and augmentation (default: ${DEFAULT-VALUE}; with "
                    + "train --seeds: of the split only).")
    long seed;

    @Option(names = "--splitter", paramLabel = "KIND",
            description = "random | grandparent | stratified | by-time (default: grandparent when DIR has train/ "
                    + "and valid/ folders, otherwise random).")
    String splitter;

    @Option(names = "--time-key", paramLabel = "REGEX",
            description = "With --splitter by-time: a regex whose first group is a date or number in the file "
                    + "name (default: order by file modification time).")
    String timeKey;

    @Option(names = "--labels", paramLabel = "SPEC", defaultValue = "folder",
            description = "folder | regex:PATTERN | csv:FILE:COLUMN (default: ${DEFAULT-VALUE}).")
    String labels;

    Path dataDir() {
        return KodiakHome.dataOrDemo(dir);
    }

    SplitSpec splitSpec() {
        return splitSpec(seed);
    }

    /** The split these options describe, drawn with {@code splitSeed} instead of {@code --seed}. */
    SplitSpec splitSpec(long splitSeed) {
        return new SplitSpec(splitter == null ? "auto" : splitter, validPct, testPct, splitSeed, timeKey);
    }

    LabelSpec labelSpec() {
        return new LabelSpec(labels);
    }

    /** The data block these options describe, with the given transforms. */
    DataBlock<RgbImage> block(List<ItemTransform<RgbImage>> itemTransforms, List<BatchTransform> batchTransforms) {
        return block(itemTransforms, batchTransforms, seed);
    }

    /** The data block with the split drawn with {@code splitSeed} ({@code train --seeds --resplit}). */
    DataBlock<RgbImage> block(List<ItemTransform<RgbImage>> itemTransforms, List<BatchTransform> batchTransforms,
                              long splitSeed) {
        Path data = dataDir();
        LabelSpec label = labelSpec();
        @SuppressWarnings("unchecked")
        ItemTransform<RgbImage>[] items = itemTransforms.toArray(new ItemTransform[0]);
        return DataBlock.builder()
                .blocks(ImageBlock.rgb(), CategoryBlock.create())
                .items(label.items(ImageFiles::find))
                .splitter(splitSpec(splitSeed).toSplitter(data))
                .label(label.toLabeller(data))
                .itemTransforms(items)
                .batchTransforms(batchTransforms)
                .build();
    }
}
