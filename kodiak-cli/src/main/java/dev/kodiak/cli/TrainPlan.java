package dev.kodiak.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Every option of {@code kodiak train} that shapes a run, as its checkpoint saves them (its {@code plan}), so
 * {@code --resume} rebuilds the same data, learner and schedule. Null means the option was not given. The learner's
 * {@link dev.kodiak.learn.Recipe} is saved beside it and is what the resumed run trains with.
 *
 * @param dir        the data folder (absolute)
 * @param trainSeed  the seed of initialisation, shuffling, augmentation and dropout (null in checkpoints written
 *                   before --seeds: then {@code seed} did both)
 * @param precision  the precision in effect (auto resolved), so a resumed run computes as the interrupted one did
 * @param mixup      MixUp's alpha, or null (also in checkpoints written before --mixup/--cutmix/--accumulate)
 * @param cutmix     CutMix's alpha, or null
 * @param accumulate batches per optimizer step, or null (one)
 * @param csv        the CSV targets (--csv, --file-col, --label-col, --valid-col, --label-delim, --skip-bad, --task,
 *                   --y-range, --threshold), or null (also in checkpoints written before --csv)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record TrainPlan(String dir, double validPct, double testPct, long seed, Long trainSeed, String splitter,
                 String timeKey, String labels, String arch, String weights, int epochs, int freezeEpochs, Double lr,
                 int bs, int size, String resize, boolean augment, String metrics, String precision,
                 Integer earlyStop, Double mixup, Double cutmix, Integer accumulate, CsvPlan csv) {

    /** The CSV options of a run trained with {@code --csv}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CsvPlan(String csv, String fileCol, String labelCol, String validCol, String labelDelim, boolean skipBad,
                   String task, String yRange, String threshold) {
    }

    /**
     * The plan a checkpoint saved, each value checked: a checkpoint that was edited, damaged or written by something
     * else gets a message naming the option, never a NullPointerException or a silently different run.
     */
    static TrainPlan read(JsonNode plan, java.nio.file.Path checkpoint) {
        SavedOptions p = new SavedOptions(plan, checkpoint);
        return new TrainPlan(p.text("dir"), p.number("valid_pct"), p.number("test_pct"), p.longInteger("seed"),
                p.optionalLongInteger("train_seed"), p.optionalText("splitter"), p.optionalText("time_key"),
                p.text("labels"), p.text("arch"), p.text("weights"), p.integer("epochs"), p.integer("freeze_epochs"),
                p.optionalNumber("lr"), p.integer("bs"), p.integer("size"), p.text("resize"), p.bool("augment"),
                p.optionalText("metrics"), p.text("precision"), p.optionalInteger("early_stop"),
                p.optionalNumber("mixup"), p.optionalNumber("cutmix"), p.optionalInteger("accumulate"),
                csvPlan(plan.get("csv"), checkpoint));
    }

    private static CsvPlan csvPlan(JsonNode csv, java.nio.file.Path checkpoint) {
        if (csv == null || csv.isNull()) {
            return null;
        }
        SavedOptions c = new SavedOptions(csv, checkpoint);
        return new CsvPlan(c.text("csv"), c.optionalText("file_col"), c.optionalText("label_col"),
                c.optionalText("valid_col"), c.optionalText("label_delim"), c.bool("skip_bad"), c.text("task"),
                c.optionalText("y_range"), c.optionalText("threshold"));
    }
}
