package dev.kodiak.vision;

import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.Labeller;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.SplitSpec;
import dev.kodiak.data.Splitter;
import dev.kodiak.data.Splitters;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One-line data loaders for the common layouts, built only from the public DataBlock API (fastai's
 * {@code ImageDataLoaders}).
 */
public final class ImageDataLoaders {
    private ImageDataLoaders() {
    }

    /**
     * One folder per label under {@code path} ({@code path/grizzly/*.jpg}, ...). When {@code path} has
     * {@code train/} and {@code valid/} folders those are the split; otherwise {@code validPct} at random.
     */
    public static DataLoaders<RgbImage> fromFolder(Path path, double validPct, long seed,
                                                   ItemTransform<RgbImage> itemTransform,
                                                   BatchTransform... batchTransforms) {
        Splitter splitter = new SplitSpec("auto", validPct, 0, seed, null).toSplitter(path);
        return build(path, ImageFiles::find, splitter, Labels.parentFolder(), itemTransform, batchTransforms,
                LoaderOptions.defaults().withSeed(seed));
    }

    /** Labels from a function of the file (e.g. its name), over every image under {@code path}. */
    public static DataLoaders<RgbImage> fromNameFunc(Path path, Function<Path, String> label, double validPct, long seed,
                                                     ItemTransform<RgbImage> itemTransform,
                                                     BatchTransform... batchTransforms) {
        return build(path, ImageFiles::find, Splitters.random(validPct, seed), Labels.function(label), itemTransform,
                batchTransforms, LoaderOptions.defaults().withSeed(seed));
    }

    /** Labels from the first group of {@code regex} in each file name, over every image under {@code path}. */
    public static DataLoaders<RgbImage> fromNameRegex(Path path, String regex, double validPct, long seed,
                                                      ItemTransform<RgbImage> itemTransform,
                                                      BatchTransform... batchTransforms) {
        return build(path, ImageFiles::find, Splitters.random(validPct, seed), Labels.regex(regex), itemTransform,
                batchTransforms, LoaderOptions.defaults().withSeed(seed));
    }

    /**
     * Files and labels from a CSV with a header row: {@code fileColumn} names images relative to the CSV's
     * folder, {@code labelColumn} holds their labels.
     */
    public static DataLoaders<RgbImage> fromCsv(Path csv, String fileColumn, String labelColumn, double validPct,
                                                long seed, ItemTransform<RgbImage> itemTransform,
                                                BatchTransform... batchTransforms) {
        var labels = Labels.csvColumn(csv, fileColumn, labelColumn);
        return build(csv.toAbsolutePath().getParent(), dir -> labels.files(), Splitters.random(validPct, seed), labels,
                itemTransform, batchTransforms, LoaderOptions.defaults().withSeed(seed));
    }

    /**
     * Images and targets from a CSV under {@code folder}, as {@code kodiak train --csv} reads them (fastai's
     * {@code from_csv}): one label, a set of labels ({@code labelDelimiter}) or one or more numbers per image, the
     * task chosen as {@link CsvDataOptions#task()} says; the CSV's split column when given, else
     * {@code validPct} at random.
     * <pre>{@code
     * var dls = ImageDataLoaders.fromCsv(folder, CsvDataOptions.builder(Path.of("labels.csv"))
     *         .labelColumns("size").validColumn("is_valid").itemTransforms(Resize.to(128)).build());
     * Learner learn = VisionLearner.create(dls, Architectures.RESNET18);   // MSE through sigmoid_range, mae/rmse/r2
     * }</pre>
     */
    public static DataLoaders<RgbImage> fromCsv(Path folder, CsvDataOptions options) {
        CsvImageData data = CsvImageData.read(folder, options.source(), options.task(), options.skipBad());
        DataBlock<RgbImage> block = data.block(Splitters.random(options.validPct(), options.seed()),
                options.itemTransforms(), options.batchTransforms());
        return block.dataLoaders(folder, LoaderOptions.defaults().withBatchSize(options.bs()).withSeed(options.seed()));
    }

    private static DataLoaders<RgbImage> build(Path path, Function<Path, List<Path>> items, Splitter splitter,
                                               Labeller labeller, ItemTransform<RgbImage> itemTransform,
                                               BatchTransform[] batchTransforms, LoaderOptions options) {
        DataBlock<RgbImage> block = DataBlock.builder()
                .blocks(ImageBlock.rgb(), CategoryBlock.create())
                .items(items)
                .splitter(splitter)
                .label(labeller)
                .itemTransforms(itemTransform)
                .batchTransforms(batchTransforms)
                .build();
        return block.dataLoaders(path, options);
    }
}
