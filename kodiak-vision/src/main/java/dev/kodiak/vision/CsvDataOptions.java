package dev.kodiak.vision;

import dev.kodiak.KodiakException;
import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.CsvSource;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.TaskKind;
import java.nio.file.Path;
import java.util.List;

/**
 * The options of {@link ImageDataLoaders#fromCsv(Path, CsvDataOptions)}, as {@code kodiak train --csv} takes them
 * (fastai's {@code from_csv}): which CSV and columns, the task, bad rows, the fallback split, transforms, batch size and
 * seed. Start from {@link #builder(Path)}:
 * <pre>{@code
 * var dls = ImageDataLoaders.fromCsv(folder, CsvDataOptions.builder(Path.of("labels.csv"))
 *         .labelColumns("size").validColumn("is_valid").itemTransforms(Resize.to(128)).bs(32).build());
 * }</pre>
 * A regression's y-range is the learner's ({@code VisionLearnerOptions.yRanges}), as fastai's
 * {@code vision_learner(y_range=...)}.
 *
 * @param source          the CSV (relative to the folder unless absolute) and its columns
 * @param task            the task, or null for auto (a label delimiter: multi-label; all targets numbers: regression;
 *                        else single-label)
 * @param skipBad         leave out rows with a missing file, an empty or non-numeric target or an unknown split value
 *                        (see {@link CsvImageData#table()}{@code .skipped()}) instead of refusing the first
 * @param validPct        without a split column: the share of items kept for validation, at random
 * @param seed            the random split's, shuffling's and augmentation's seed
 * @param itemTransforms  per-image transforms (e.g. {@code Resize.to(224)})
 * @param batchTransforms per-batch transforms (e.g. {@code Augment.standard()})
 * @param bs              the batch size
 */
public record CsvDataOptions(CsvSource source, TaskKind task, boolean skipBad, double validPct, long seed,
                             List<ItemTransform<RgbImage>> itemTransforms, List<BatchTransform> batchTransforms,
                             int bs) {
    public CsvDataOptions {
        if (source == null) {
            throw new KodiakException("fromCsv needs the CSV: CsvDataOptions.builder(Path.of(\"labels.csv\"))");
        }
        if (!(validPct > 0 && validPct < 1)) {
            throw new KodiakException("validPct must be between 0 and 1 (exclusive), got " + validPct);
        }
        if (bs < 1) {
            throw new KodiakException("the batch size must be at least 1, got " + bs);
        }
        itemTransforms = List.copyOf(itemTransforms);
        batchTransforms = List.copyOf(batchTransforms);
    }

    /** Options reading {@code csv}: first column files, second targets, task auto, 20% at random, seed 42, bs 64. */
    public static Builder builder(Path csv) {
        return new Builder(csv);
    }

    /** Builds {@link CsvDataOptions}; every setter returns the builder. */
    public static final class Builder {
        private final Path csv;
        private String fileColumn;
        private List<String> labelColumns = List.of();
        private String validColumn;
        private String labelDelimiter;
        private TaskKind task;
        private boolean skipBad;
        private double validPct = 0.2;
        private long seed = 42;
        private List<ItemTransform<RgbImage>> itemTransforms = List.of();
        private List<BatchTransform> batchTransforms = List.of();
        private int bs = 64;

        private Builder(Path csv) {
            this.csv = csv;
        }

        /** The column of file paths, relative to the folder (default: the first column). */
        public Builder fileColumn(String name) {
            this.fileColumn = name;
            return this;
        }

        /** The target column(s); several make a multi-output regression (default: the second column). */
        public Builder labelColumns(String... names) {
            this.labelColumns = List.of(names);
            return this;
        }

        /** The column saying which rows are validation items ({@code true/false/1/0/yes/no}, any case). */
        public Builder validColumn(String name) {
            this.validColumn = name;
            return this;
        }

        /** The target column holds label sets separated by {@code delimiter} (e.g. {@code " "}): multi-label. */
        public Builder labelDelimiter(String delimiter) {
            this.labelDelimiter = delimiter;
            return this;
        }

        /** The task instead of auto. */
        public Builder task(TaskKind task) {
            this.task = task;
            return this;
        }

        /** Leave bad rows out (reported in the table's {@code skipped()}) instead of refusing the first. */
        public Builder skipBad(boolean skipBad) {
            this.skipBad = skipBad;
            return this;
        }

        /** Without a split column: the share of items kept for validation, at random (default 0.2). */
        public Builder validPct(double validPct) {
            this.validPct = validPct;
            return this;
        }

        /** The seed of the random split, shuffling and augmentation (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Per-image transforms, in order. */
        @SafeVarargs
        public final Builder itemTransforms(ItemTransform<RgbImage>... transforms) {
            this.itemTransforms = List.of(transforms);
            return this;
        }

        /** Per-batch transforms, in order. */
        public Builder batchTransforms(BatchTransform... transforms) {
            this.batchTransforms = List.of(transforms);
            return this;
        }

        /** The batch size (default 64). */
        public Builder bs(int bs) {
            this.bs = bs;
            return this;
        }

        public CsvDataOptions build() {
            if (csv == null) {
                throw new KodiakException("fromCsv needs the CSV: CsvDataOptions.builder(Path.of(\"labels.csv\"))");
            }
            return new CsvDataOptions(new CsvSource(csv, fileColumn, labelColumns, labelDelimiter, validColumn), task,
                    skipBad, validPct, seed, itemTransforms, batchTransforms, bs);
        }
    }
}
