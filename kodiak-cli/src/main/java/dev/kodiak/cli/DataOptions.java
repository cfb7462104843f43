package dev.kodiak.cli;

import dev.kodiak.data.BatchTransform;
import dev.kodiak.KodiakException;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.CsvSource;
import dev.kodiak.data.TaskKind;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.InputBlock;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.LabelSpec;
import dev.kodiak.data.SplitSpec;
import dev.kodiak.vision.CsvImageData;
import dev.kodiak.vision.ImageBlock;
import dev.kodiak.vision.ImageFiles;
import dev.kodiak.vision.RgbImage;
import java.nio.file.Path;
import java.util.function.Function;
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

    @Option(names = "--csv", paramLabel = "FILE", description = "Read items and targets from a CSV (relative to DIR "
            + "unless absolute): file paths relative to DIR, one or more target columns, optionally a split column.")
    Path csv;

    @Option(names = "--file-col", paramLabel = "NAME", description = "With --csv: the column of file paths (default: the first).")
    String fileCol;

    @Option(names = "--label-col", paramLabel = "A[,B,...]", description = "With --csv: the target column(s); several "
            + "make a multi-output regression (default: the second column).")
    String labelCol;

    @Option(names = "--valid-col", paramLabel = "NAME", description = "With --csv: the column saying which rows are "
            + "validation items (true/false/1/0/yes/no); without it --valid-pct/--splitter apply.")
    String validCol;

    @Option(names = "--label-delim", paramLabel = "D", description = "With --csv: the target column holds label sets "
            + "separated by D (e.g. \" \"): a multi-label task.")
    String labelDelim;

    @Option(names = "--skip-bad", description = "With --csv: leave out (and report) rows with a missing file, an empty "
            + "or non-numeric target or an unknown split value, instead of stopping at the first.")
    boolean skipBad;

    @Option(names = "--task", paramLabel = "TASK", defaultValue = "auto", description = "auto | single-label | "
            + "multi-label | regression (default: ${DEFAULT-VALUE}: --label-delim means multi-label, all-number "
            + "targets regression, else single-label; the choice is printed with its reason).")
    String task;

    /** The CSV table and the task chosen for it; null without --csv. */
    CsvImageData csvData() {
        if (csv == null) {
            if (!"auto".equalsIgnoreCase(task.trim()) && TaskKind.parse(task) != TaskKind.SINGLE_LABEL) {
                throw new KodiakException("--task " + task + " needs targets from a CSV: give --csv FILE");
            }
            return null;
        }
        CsvSource source = new CsvSource(csv, fileCol, labelCol == null ? List.of() : List.of(labelCol.split(",")),
                labelDelim, validCol);
        return CsvImageData.read(dataDir(), source, "auto".equalsIgnoreCase(task.trim()) ? null : TaskKind.parse(task),
                skipBad);
    }

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
        return block(itemTransforms, batchTransforms, splitSeed, csvData());
    }

    /** The data block, its targets from {@code csvData} when not null. */
    DataBlock<RgbImage> block(List<ItemTransform<RgbImage>> itemTransforms, List<BatchTransform> batchTransforms,
                              long splitSeed, CsvImageData csvData) {
        return block(ImageBlock.rgb(), ImageFiles::find, itemTransforms, batchTransforms, splitSeed, csvData);
    }

    /** The data block of any input kind: {@code find} lists its files in a folder. */
    <X> DataBlock<X> block(InputBlock<X> input, Function<Path, List<Path>> find, List<ItemTransform<X>> itemTransforms,
                           List<BatchTransform> batchTransforms, long splitSeed, CsvImageData csvData) {
        Path data = dataDir();
        if (csvData != null) {
            return csvData.block(input, splitSpec(splitSeed).toSplitter(data), itemTransforms, batchTransforms);
        }
        LabelSpec label = labelSpec();
        return DataBlock.builder()
                .blocks(input, CategoryBlock.create())
                .items(label.items(find))
                .splitter(splitSpec(splitSeed).toSplitter(data))
                .label(label.toLabeller(data))
                .itemTransforms(itemTransforms)
                .batchTransforms(batchTransforms)
                .build();
    }
}
