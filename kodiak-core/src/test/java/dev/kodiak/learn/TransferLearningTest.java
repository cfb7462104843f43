package dev.kodiak.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.Engine;
import dev.kodiak.testing.RawImageBlock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.NoGradGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfer works: a body pretrained on one task (stripe orientation, 4 classes, plenty of images) fine-tuned on
 * a related task with few images (horizontal vs vertical stripes of other colours and frequencies) beats the
 * same network trained from scratch for the same number of epochs.
 */
class TransferLearningTest {
    private static final int SIDE = 16;

    @TempDir
    Path dir;

    private static void stripes(Path file, double angleDegrees, double freq, double amplitude, double noise, Random r)
            throws IOException {
        byte[] b = new byte[2 + SIDE * SIDE * 3];
        b[0] = SIDE;
        b[1] = SIDE;
        double a = Math.toRadians(angleDegrees);
        double phase = r.nextDouble() * 2 * Math.PI;
        double[] tint = {0.4 + 0.6 * r.nextDouble(), 0.4 + 0.6 * r.nextDouble(), 0.4 + 0.6 * r.nextDouble()};
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double v = Math.sin(2 * Math.PI * freq * (x * Math.cos(a) + y * Math.sin(a)) + phase);
                for (int c = 0; c < 3; c++) {
                    double px = 128 + amplitude * v * tint[c] + r.nextGaussian() * noise;
                    b[2 + (y * SIDE + x) * 3 + c] = (byte) Math.max(0, Math.min(255, Math.round(px)));
                }
            }
        }
        Files.createDirectories(file.getParent());
        Files.write(file, b);
    }

    private DataLoaders<RawImageBlock.Raw> loaders(Path root, double validPct, int bs) {
        return DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create()).items(RawImageBlock::find)
                .splitter(Splitters.stratified(validPct, 1)).label(Labels.parentFolder()).build()
                .dataLoaders(root, LoaderOptions.defaults().withBatchSize(bs).withWorkers(2));
    }

    private static Learner learner(DataLoaders<?> dls, TinyClassifier net) {
        Learner learn = Learner.builder(dls, net).metrics(dev.kodiak.learn.metrics.Metrics.errorRate()).build();
        learn.log(new PrintStream(OutputStream.nullOutputStream()));
        return learn;
    }

    @Test
    void fineTuningAPretrainedBodyBeatsTrainingFromScratch() throws IOException {
        Random r = new Random(3);
        Path source = dir.resolve("source");
        int[] angles = {0, 45, 90, 135};
        for (int k = 0; k < angles.length; k++) {
            for (int i = 0; i < 60; i++) {
                stripes(source.resolve("a" + angles[k]).resolve(i + ".raw"), angles[k], 0.15 + 0.1 * r.nextDouble(), 100, 20, r);
            }
        }
        Path target = dir.resolve("target");
        for (String label : List.of("horizontal", "vertical")) {
            for (int i = 0; i < 23; i++) {
                // other frequencies than the source task: related, not the same
                stripes(target.resolve(label).resolve(i + ".raw"), label.equals("horizontal") ? 90 : 0,
                        0.3 + 0.1 * r.nextDouble(), 30, 45, r);
            }
        }

        Engine.seed(11);
        TinyClassifier pretrained = new TinyClassifier(4);
        try (var dls = loaders(source, 0.2, 16)) {
            learner(dls, pretrained).fitOneCycle(6, 3e-2);
        }

        double fineTuned;
        double scratch;
        try (var dls = loaders(target, 20.0 / 23, 2)) { // 3 training images per class, 20 per class validate
            Engine.seed(5);
            TinyClassifier net = new TinyClassifier(2);
            copyBody(pretrained, net);
            Learner learn = learner(dls, net);
            learn.fineTune(2, 1e-2, 1, 10);
            fineTuned = learn.validate().metric("error_rate");

            Engine.seed(5);
            Learner fromScratch = learner(dls, new TinyClassifier(2));
            fromScratch.fitOneCycle(3, 1e-2);
            scratch = fromScratch.validate().metric("error_rate");
        }
        System.out.printf("transfer: fine-tuned error %.3f, from scratch %.3f%n", fineTuned, scratch);
        assertThat(fineTuned).as("fine-tuned %s vs scratch %s", fineTuned, scratch).isLessThan(scratch - 0.15);
    }

    private static void copyBody(TinyClassifier from, TinyClassifier to) {
        try (NoGradGuard g = new NoGradGuard()) {
            to.conv1.weight().copy_(from.conv1.weight());
            to.conv2.weight().copy_(from.conv2.weight());
            to.bn1.weight().copy_(from.bn1.weight());
            to.bn1.bias().copy_(from.bn1.bias());
            to.bn1.running_mean().copy_(from.bn1.running_mean());
            to.bn1.running_var().copy_(from.bn1.running_var());
            to.bn2.weight().copy_(from.bn2.weight());
            to.bn2.bias().copy_(from.bn2.bias());
            to.bn2.running_mean().copy_(from.bn2.running_mean());
            to.bn2.running_var().copy_(from.bn2.running_var());
        }
    }
}
