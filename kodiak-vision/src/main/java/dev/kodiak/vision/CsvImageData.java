package dev.kodiak.vision;

import dev.kodiak.data.BatchTransform;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.CsvSource;
import dev.kodiak.data.CsvTable;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.InputBlock;
import dev.kodiak.data.ItemTransform;
import dev.kodiak.data.MultiCategoryBlock;
import dev.kodiak.data.RegressionBlock;
import dev.kodiak.data.Splitter;
import dev.kodiak.data.TargetBlock;
import dev.kodiak.data.TaskChoice;
import dev.kodiak.data.TaskKind;
import java.nio.file.Path;
import java.util.List;

/**
 * Images and targets read from a CSV (fastai's {@code from_csv}), checked for their task: the one place that turns a
 * {@link CsvTable} into a {@link DataBlock}, used by {@link ImageDataLoaders#fromCsv(Path, CsvDataOptions)} and by
 * every CLI verb that takes {@code --csv}.
 *
 * @param table  the CSV's rows, checked for the task (bad rows left out with {@code skipBad}, else refused)
 * @param choice the task and why it was chosen
 */
public record CsvImageData(CsvTable table, TaskChoice choice) {

    /**
     * Reads {@code source} under {@code folder} and decides the task: {@code task} when not null, else
     * {@link TaskChoice#decide auto} (a label delimiter: multi-label; all targets numbers: regression; else
     * single-label).
     */
    public static CsvImageData read(Path folder, CsvSource source, TaskKind task, boolean skipBad) {
        CsvTable table = CsvTable.read(source, folder, skipBad);
        TaskChoice choice = TaskChoice.decide(task, table);
        return new CsvImageData(table.checkedFor(choice.kind(), skipBad), choice);
    }

    /** The target block of the task: categories, label sets, or one number per target column. */
    public TargetBlock target() {
        return switch (choice.kind()) {
            case SINGLE_LABEL -> CategoryBlock.create();
            case MULTI_LABEL -> MultiCategoryBlock.create();
            case REGRESSION -> RegressionBlock.named(table.labelColumns().toArray(new String[0]));
        };
    }

    /**
     * The data block of these images: the CSV's split column when it has one, else {@code fallback}.
     */
    public DataBlock<RgbImage> block(Splitter fallback, List<ItemTransform<RgbImage>> itemTransforms,
                                     List<BatchTransform> batchTransforms) {
        return block(ImageBlock.rgb(), fallback, itemTransforms, batchTransforms);
    }

    /**
     * The data block of the CSV's files read by {@code input} (images, sound, ...): the CSV's split column when it has
     * one, else {@code fallback}.
     */
    public <X> DataBlock<X> block(InputBlock<X> input, Splitter fallback, List<ItemTransform<X>> itemTransforms,
                                  List<BatchTransform> batchTransforms) {
        Splitter split = table.splitter();
        @SuppressWarnings("unchecked")
        ItemTransform<X>[] items = itemTransforms.toArray(new ItemTransform[0]);
        return DataBlock.builder()
                .blocks(input, target())
                .items(dir -> table.files())
                .splitter(split != null ? split : fallback)
                .label(table.labeller(choice.kind()))
                .itemTransforms(items)
                .batchTransforms(batchTransforms)
                .build();
    }
}
