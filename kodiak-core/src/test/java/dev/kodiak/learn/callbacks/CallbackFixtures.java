package dev.kodiak.learn.callbacks;

import dev.kodiak.data.CategoryBlock;
import dev.kodiak.data.DataBlock;
import dev.kodiak.data.DataLoaders;
import dev.kodiak.data.Labels;
import dev.kodiak.data.LoaderOptions;
import dev.kodiak.data.Splitters;
import dev.kodiak.engine.Engine;
import dev.kodiak.engine.Tensors;
import dev.kodiak.learn.Callback;
import dev.kodiak.learn.Learner;
import dev.kodiak.testing.RawImageBlock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Tiny 8×8 two-class data and learners on {@link TinyLinear} for the callback tests. */
final class CallbackFixtures {
    static final int SIDE = 8;

    private CallbackFixtures() {
    }

    /** {@code perLabel} images in each of {@code a/} and {@code b/}, every one different. */
    static void writeImages(Path dir, int perLabel) throws IOException {
        for (int i = 0; i < perLabel; i++) {
            RawImageBlock.write(dir.resolve("a").resolve("a" + i + ".raw"), SIDE, SIDE, i);
            RawImageBlock.write(dir.resolve("b").resolve("b" + i + ".raw"), SIDE, SIDE, 1000 + 3 * i);
        }
    }

    /** A quarter of the items for validation; no transforms, so a batch's pixels depend only on its items. */
    static DataLoaders<RawImageBlock.Raw> dls(Path dir, int bs) {
        return DataBlock.builder().blocks(new RawImageBlock(), CategoryBlock.create())
                .items(RawImageBlock::find).splitter(Splitters.random(0.25, 42)).label(Labels.parentFolder())
                .build().dataLoaders(dir, LoaderOptions.defaults().withBatchSize(bs).withWorkers(1).withSeed(7));
    }

    /** A learner whose model starts from the same weights every time; the epoch table goes nowhere. */
    static Learner learner(DataLoaders<?> dls, Callback... callbacks) {
        Engine.seed(0);
        Learner learn = Learner.builder(dls, new TinyLinear(3 * SIDE * SIDE, 2)).callbacks(callbacks).build();
        learn.log(new PrintStream(OutputStream.nullOutputStream()));
        return learn;
    }

    static TinyLinear model(Learner learn) {
        return (TinyLinear) learn.model();
    }

    /** The model's weights and bias, flattened. */
    static float[] weights(Learner learn) {
        TinyLinear m = model(learn);
        float[] w = Tensors.toFloats(m.fc.weight());
        float[] b = Tensors.toFloats(m.fc.bias());
        float[] out = new float[w.length + b.length];
        System.arraycopy(w, 0, out, 0, w.length);
        System.arraycopy(b, 0, out, w.length, b.length);
        return out;
    }

    /** A callback running {@code action} in one event, for probing the learner at that point. */
    static Callback at(int order, String event, Consumer<Learner> action) {
        return new Callback() {
            @Override
            public int order() {
                return order;
            }

            @Override
            public void beforeBatch(Learner learn) {
                run("beforeBatch", learn);
            }

            @Override
            public void afterPred(Learner learn) {
                run("afterPred", learn);
            }

            @Override
            public void afterLoss(Learner learn) {
                run("afterLoss", learn);
            }

            @Override
            public void beforeBackward(Learner learn) {
                run("beforeBackward", learn);
            }

            @Override
            public void afterBackward(Learner learn) {
                run("afterBackward", learn);
            }

            @Override
            public void beforeStep(Learner learn) {
                run("beforeStep", learn);
            }

            @Override
            public void afterStep(Learner learn) {
                run("afterStep", learn);
            }

            @Override
            public void afterBatch(Learner learn) {
                run("afterBatch", learn);
            }

            private void run(String name, Learner learn) {
                if (name.equals(event)) {
                    action.accept(learn);
                }
            }
        };
    }

    /** Per-item cross-entropy of logits [n, k] against class indices, computed in Java (double precision). */
    static double[] crossEntropy(float[] logits, int classes, long[] targets) {
        int n = targets.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[i * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[i * classes + c] - max);
            }
            out[i] = max + Math.log(sum) - logits[i * classes + (int) targets[i]];
        }
        return out;
    }
}
