package dev.kodiak.data;

import dev.kodiak.KodiakException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A description of a dataset, fastai-style: what the inputs and targets are, how to find the items, how to
 * split and label them, and how to transform items and batches. It holds no data; {@link #datasets} and
 * {@link #dataLoaders} apply it to a source folder.
 *
 * @param <X> the decoded item type of the input block
 */
public final class DataBlock<X> {
    private final InputBlock<X> input;
    private final TargetBlock target;
    private final Function<Path, List<Path>> getItems;
    private final Splitter splitter;
    private final Labeller labeller;
    private final List<ItemTransform<X>> itemTransforms;
    private final List<BatchTransform> batchTransforms;

    private DataBlock(Builder<X> b) {
        this.input = Objects.requireNonNull(b.input, "blocks(input, target) is required");
        this.target = Objects.requireNonNull(b.target, "blocks(input, target) is required");
        this.getItems = Objects.requireNonNull(b.getItems, "items(...) is required, e.g. items(ImageFiles::find)");
        this.splitter = b.splitter == null ? Splitters.random(0.2, 42) : b.splitter;
        this.labeller = Objects.requireNonNull(b.labeller, "label(...) is required, e.g. label(Labels.parentFolder())");
        this.itemTransforms = List.copyOf(b.itemTransforms);
        this.batchTransforms = List.copyOf(b.batchTransforms);
    }

    /** Starts a description; call {@code blocks(...)} first so the item transforms are typed. */
    public static Builder<Object> builder() {
        return new Builder<>();
    }

    public InputBlock<X> input() {
        return input;
    }

    public TargetBlock target() {
        return target;
    }

    public Splitter splitter() {
        return splitter;
    }

    public Labeller labeller() {
        return labeller;
    }

    public List<ItemTransform<X>> itemTransforms() {
        return itemTransforms;
    }

    public List<BatchTransform> batchTransforms() {
        return batchTransforms;
    }

    /** Finds, labels and splits the items of {@code source}; fits the target block to the labels. */
    public Datasets datasets(Path source) {
        if (!Files.exists(source)) {
            throw new KodiakException("data folder " + source + " does not exist");
        }
        List<Path> items = getItems.apply(source);
        if (items.isEmpty()) {
            throw new KodiakException("no items found in " + source
                    + " (for images: files ending in .jpg, .jpeg, .png, .gif, .bmp or .webp, in one folder per label)");
        }
        List<Object> labels = label(items);
        TargetBlock fitted = target.fit(labels);
        if (fitted instanceof CategoryBlock && fitted.outputs() < 2) {
            throw new KodiakException("only one label ('" + fitted.vocab().get(0) + "') found for the " + items.size()
                    + " items in " + source + ": a classifier needs at least two (e.g. one folder per label)");
        }
        float[] scratch = new float[Math.max(1, fitted.outputs())];
        for (int i = 0; i < items.size(); i++) {
            try {
                fitted.encode(labels.get(i), scratch);
            } catch (KodiakException e) {
                throw new KodiakException("cannot encode the label of " + items.get(i) + ": " + e.getMessage(), e);
            }
        }
        Split split = splitter.split(items, labels);
        if (split.train().isEmpty()) {
            throw new KodiakException("the training set is empty after splitting " + items.size() + " items of "
                    + source + " (" + splitter.describe() + ")");
        }
        if (split.valid().isEmpty()) {
            throw new KodiakException("the validation set is empty after splitting " + items.size() + " items of "
                    + source + " (" + splitter.describe() + "): use more items or a larger valid-pct"
                    + (splitter instanceof GrandparentSplitter ? ", or add a valid/ folder" : ""));
        }
        return new Datasets(source, items, labels, split, fitted, splitter, labeller);
    }

    /** Loaders with batch size {@code batchSize} and the other options at their defaults. */
    public DataLoaders<X> dataLoaders(Path source, int batchSize) {
        return dataLoaders(source, LoaderOptions.defaults().withBatchSize(batchSize));
    }

    public DataLoaders<X> dataLoaders(Path source, LoaderOptions options) {
        return new DataLoaders<>(datasets(source), input, itemTransforms, batchTransforms, options);
    }

    /** Loaders over already labelled and split items (e.g. to re-create a model's validation set). */
    public DataLoaders<X> dataLoaders(Datasets datasets, LoaderOptions options) {
        return new DataLoaders<>(datasets, input, itemTransforms, batchTransforms, options);
    }

    /**
     * Walks one item through every step, like fastai's {@code DataBlock.summary}: what each step produced, and
     * which step failed and why.
     */
    public String summary(Path source, int batchSize) {
        return new DataBlockSummary<>(this).run(source, batchSize);
    }

    private List<Object> label(List<Path> items) {
        List<Object> labels = new ArrayList<>(items.size());
        List<String> problems = new ArrayList<>();
        for (Path item : items) {
            try {
                labels.add(labeller.label(item));
            } catch (KodiakException e) {
                labels.add(null);
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new KodiakException(problems.size() + " of " + items.size() + " items could not be labelled ("
                    + labeller.describe() + "), e.g. " + String.join("; ", problems.subList(0, Math.min(3, problems.size()))));
        }
        return labels;
    }

    /** Builds a {@link DataBlock}; validates when {@link #build()} is called. */
    public static final class Builder<X> {
        private InputBlock<X> input;
        private TargetBlock target;
        private Function<Path, List<Path>> getItems;
        private Splitter splitter;
        private Labeller labeller;
        private List<ItemTransform<X>> itemTransforms = new ArrayList<>();
        private final List<BatchTransform> batchTransforms = new ArrayList<>();
        private double testPct;

        private Builder() {
        }

        /** The input block (e.g. {@code ImageBlock.rgb()}) and the target block (e.g. {@code CategoryBlock.create()}). */
        @SuppressWarnings("unchecked")
        public <Y> Builder<Y> blocks(InputBlock<Y> input, TargetBlock target) {
            Builder<Y> typed = (Builder<Y>) this;
            typed.input = Objects.requireNonNull(input);
            typed.target = Objects.requireNonNull(target);
            typed.itemTransforms = new ArrayList<>();
            return typed;
        }

        /** How to find the items under the source, e.g. {@code ImageFiles::find}. */
        public Builder<X> items(Function<Path, List<Path>> getItems) {
            this.getItems = getItems;
            return this;
        }

        public Builder<X> splitter(Splitter splitter) {
            this.splitter = splitter;
            return this;
        }

        /** Also holds out {@code testPct} of the items as a test set that training never sees. */
        public Builder<X> testPct(double testPct) {
            this.testPct = testPct;
            return this;
        }

        public Builder<X> label(Labeller labeller) {
            this.labeller = labeller;
            return this;
        }

        @SafeVarargs
        public final Builder<X> itemTransforms(ItemTransform<X>... transforms) {
            this.itemTransforms.addAll(Arrays.asList(transforms));
            return this;
        }

        /** Adds item transforms in order, e.g. what an input block says its items need. */
        public Builder<X> itemTransforms(List<? extends ItemTransform<X>> transforms) {
            this.itemTransforms.addAll(transforms);
            return this;
        }

        public Builder<X> batchTransforms(BatchTransform... transforms) {
            this.batchTransforms.addAll(Arrays.asList(transforms));
            return this;
        }

        public Builder<X> batchTransforms(List<? extends BatchTransform> transforms) {
            this.batchTransforms.addAll(transforms);
            return this;
        }

        public DataBlock<X> build() {
            if (input == null || target == null) {
                throw new KodiakException("a DataBlock needs blocks(input, target), e.g. blocks(ImageBlock.rgb(), CategoryBlock.create())");
            }
            if (getItems == null) {
                throw new KodiakException("a DataBlock needs items(...), e.g. items(ImageFiles::find)");
            }
            if (labeller == null) {
                throw new KodiakException("a DataBlock needs label(...), e.g. label(Labels.parentFolder())");
            }
            if (testPct > 0) {
                splitter = (splitter == null ? Splitters.random(0.2, 42) : splitter).withTest(testPct);
            }
            return new DataBlock<>(this);
        }
    }
}
