package dev.kodiak.vision.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.MultiCategoryBlock;
import dev.kodiak.data.RegressionBlock;
import dev.kodiak.data.TaskKind;
import dev.kodiak.learn.Learner;
import dev.kodiak.learn.Task;
import dev.kodiak.learn.YRange;
import dev.kodiak.learn.metrics.Metric;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.vision.CsvDataOptions;
import dev.kodiak.vision.ImageDataLoaders;
import dev.kodiak.vision.RgbImage;
import dev.kodiak.models.Architectures;
import dev.kodiak.vision.transforms.Resize;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ImageDataLoaders.fromCsv} reads the three kinds of target as {@code kodiak train --csv} does, and
 * {@code VisionLearner.create} picks the task, loss and default metrics from the target block: cross-entropy and
 * error_rate; BCE with logits and accuracy_multi; MSE through sigmoid_range (by default each column's training range
 * widened by 5%) and mae/rmse/r2. No training: the learner is built and run over the validation set once.
 */
class VisionLearnerTasksTest {
    private static final int ROWS = 10; // the last 3 are validation items

    @TempDir
    Path dir;

    private void csv(String header, IntFunction<String> targets) throws IOException {
        List<String> lines = new ArrayList<>(List.of("file," + header + ",is_valid"));
        for (int i = 0; i < ROWS; i++) {
            BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
            img.setRGB(i, i, new Color(20 * i, 100, 200).getRGB());
            ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
            lines.add("img" + i + ".png," + targets.apply(i) + "," + (i >= ROWS - 3 ? "true" : "false"));
        }
        Files.write(dir.resolve("labels.csv"), lines);
    }

    private DataLoaders<RgbImage> loaders(CsvDataOptions.Builder options) {
        return ImageDataLoaders.fromCsv(dir, options.itemTransforms(Resize.to(32)).bs(4).build());
    }

    private static Learner learner(DataLoaders<RgbImage> dls, VisionLearnerOptions options) {
        return VisionLearner.create(dls, Architectures.RESNET18, options.weights(PretrainedChoice.none()).seed(1L)
                .channelsLast(false));
    }

    private static List<String> names(List<Metric> metrics) {
        return metrics.stream().map(Metric::name).toList();
    }

    @Test
    void twoNumericColumnsMakeARegressionSquashedIntoEachColumnsOwnTrainingRange() throws IOException {
        // size 10..16 in training (20.. only in validation), angle -60..60 in training
        csv("size,angle", i -> (10 + i) + "," + (i < 7 ? -60 + 20 * i : 90));
        try (DataLoaders<RgbImage> dls = loaders(CsvDataOptions.builder(Path.of("labels.csv"))
                .labelColumns("size", "angle").validColumn("is_valid"))) {
            assertThat(dls.target()).isInstanceOf(RegressionBlock.class);
            assertThat(dls.vocab()).containsExactly("size", "angle");
            assertThat(dls.valid().size()).isEqualTo(3);
            Learner learn = learner(dls, VisionLearnerOptions.defaults());
            Task.Regression task = (Task.Regression) learn.task();
            assertThat(task.yRanges()).containsExactly(new YRange(10 - 0.3, 16 + 0.3), new YRange(-60 - 6, 60 + 6));
            assertThat(learn.loss().name()).isEqualTo("mse");
            assertThat(names(learn.metrics())).containsExactly("mae", "rmse", "r2");
            Predictions p = learn.getPreds(dls.valid());
            for (int i = 0; i < p.n(); i++) { // the answers are the squashed values, each in its column's range
                assertThat(p.outputs()[2 * i]).isBetween(9.7f, 16.3f);
                assertThat(p.outputs()[2 * i + 1]).isBetween(-66f, 66f);
            }
            assertThat(learn.validate().metrics()).containsOnlyKeys("mae", "rmse", "r2");

            Learner given = learner(dls, VisionLearnerOptions.defaults().yRange(0, 100));
            assertThat(((Task.Regression) given.task()).yRanges()).containsExactly(new YRange(0, 100));
            Learner plain = learner(dls, VisionLearnerOptions.defaults().yRanges(List.of()));
            assertThat(((Task.Regression) plain.task()).yRanges()).isEmpty();
            assertThatThrownBy(() -> learner(dls, VisionLearnerOptions.defaults()
                    .yRanges(List.of(new YRange(0, 1), new YRange(0, 2), new YRange(0, 3)))))
                    .isInstanceOf(KodiakException.class).hasMessageContaining("one per target, got 3");
        }
    }

    @Test
    void delimitedLabelsMakeAMultiLabelLearnerWithBceAndAccuracyMulti() throws IOException {
        csv("labels", i -> i % 3 == 0 ? "cat dog" : i % 3 == 1 ? "dog" : "bird cat");
        try (DataLoaders<RgbImage> dls = loaders(CsvDataOptions.builder(Path.of("labels.csv"))
                .labelColumns("labels").validColumn("is_valid").labelDelimiter(" "))) {
            assertThat(dls.target()).isInstanceOf(MultiCategoryBlock.class);
            assertThat(dls.vocab()).containsExactly("bird", "cat", "dog");
            Learner learn = learner(dls, VisionLearnerOptions.defaults());
            assertThat(learn.task()).isEqualTo(new Task.MultiLabel(List.of("bird", "cat", "dog"), 0.5, false));
            assertThat(learn.loss().name()).isEqualTo("bce_with_logits");
            assertThat(names(learn.metrics())).containsExactly("accuracy_multi", "f1_samples", "f1_macro");
            assertThat(((Task.MultiLabel) learner(dls, VisionLearnerOptions.defaults().threshold(0.3)).task())
                    .threshold()).isEqualTo(0.3);
            assertThatThrownBy(() -> learner(dls, VisionLearnerOptions.defaults().yRange(0, 1)))
                    .isInstanceOf(KodiakException.class)
                    .hasMessageContaining("--y-range applies to regression, but this task is multi-label");
        }
    }

    @Test
    void namesMakeASingleLabelLearnerAndTheTaskCanBeForced() throws IOException {
        csv("size", i -> i % 2 == 0 ? "small" : "large");
        try (DataLoaders<RgbImage> dls = loaders(CsvDataOptions.builder(Path.of("labels.csv")).validColumn("is_valid"))) {
            assertThat(dls.target()).isInstanceOf(CategoryBlock.class);
            Learner learn = learner(dls, VisionLearnerOptions.defaults());
            assertThat(learn.task()).isInstanceOf(Task.SingleLabel.class);
            assertThat(learn.loss().name()).isEqualTo("cross_entropy");
            assertThat(names(learn.metrics())).containsExactly("error_rate", "accuracy");
            assertThatThrownBy(() -> learner(dls, VisionLearnerOptions.defaults().threshold(0.4)))
                    .hasMessageContaining("--threshold applies to multi-label, but this task is single-label");
        }
        // numbers read as classes when asked (fastai's y_block=CategoryBlock), validPct without a split column
        Files.delete(dir.resolve("labels.csv"));
        csv("size", i -> String.valueOf(i % 2));
        try (DataLoaders<RgbImage> dls = loaders(CsvDataOptions.builder(Path.of("labels.csv"))
                .task(TaskKind.SINGLE_LABEL).validPct(0.3).seed(7))) {
            assertThat(dls.vocab()).containsExactly("0", "1");
            assertThat(dls.valid().size()).isEqualTo(3);
        }
    }

    @Test
    void aMissingFileStopsWithItsLineOrIsLeftOutWithSkipBad() throws IOException {
        csv("size", i -> String.valueOf(i));
        Files.delete(dir.resolve("img4.png"));
        assertThatThrownBy(() -> loaders(CsvDataOptions.builder(Path.of("labels.csv")).validColumn("is_valid")))
                .isInstanceOf(KodiakException.class).hasMessageContaining("img4.png").hasMessageContaining("line 6");
        try (DataLoaders<RgbImage> dls = loaders(CsvDataOptions.builder(Path.of("labels.csv")).validColumn("is_valid")
                .skipBad(true))) {
            assertThat(dls.train().size() + dls.valid().size()).isEqualTo(ROWS - 1);
        }
    }
}
