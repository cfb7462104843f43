package dev.kodiak.learn.optim;

import static dev.kodiak.engine.NativeTensors.unwrap;
import static dev.kodiak.engine.NativeTensors.wrap;
import static dev.kodiak.learn.TensorsForTests.floats;
import static dev.kodiak.learn.TensorsForTests.longs;
import static dev.kodiak.learn.TensorsForTests.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.StepScope;
import dev.kodiak.learn.loss.Loss;
import dev.kodiak.learn.loss.Losses;
import dev.kodiak.learn.lrfind.LossSmoother;
import dev.kodiak.learn.metrics.Metrics;
import dev.kodiak.learn.metrics.Predictions;
import dev.kodiak.learn.schedule.LrSlice;
import dev.kodiak.learn.schedule.OneCycle;
import dev.kodiak.learn.schedule.OneCycleSchedule;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/** The parts the learner combines, used the way its loop uses them, on a tiny separable problem. */
class TrainingPartsTest {
    /** Three clusters in 2-D: class c around (cos, sin) of 120°·c, 30 points each. */
    private static float[] points(long[] labels) {
        float[] x = new float[labels.length * 2];
        for (int i = 0; i < labels.length; i++) {
            int c = i % 3;
            labels[i] = c;
            double angle = 2 * Math.PI * c / 3;
            double jitter = ((i * 37) % 11 - 5) / 25.0;
            x[2 * i] = (float) (2 * Math.cos(angle) + jitter);
            x[2 * i + 1] = (float) (2 * Math.sin(angle) - jitter);
        }
        return x;
    }

    @Test
    void oneCycleAdamWAndCrossEntropyLearnALinearClassifier() {
        long[] labels = new long[90];
        float[] xs = points(labels);
        Tensor x = floats(new long[] {90, 2}, xs);
        Tensor y = longs(labels);
        Tensor body = floats(new long[] {2, 2}, 1, 0, 0, 1).set_requires_grad(true);
        Tensor weight = floats(new long[] {3, 2}, new float[6]).set_requires_grad(true);
        Tensor bias = floats(new float[3]).set_requires_grad(true);
        Loss loss = Losses.crossEntropy();
        LossSmoother smooth = new LossSmoother();
        int epochs = 4, batches = 9, batchSize = 10;
        // two layer groups, as a body and a head: discriminative rates from slice(1e-2, 1e-1)
        try (Optimizer opt = Optimizers.adamW().create(List.of(List.of(wrap(body)), List.of(wrap(weight), wrap(bias))))) {
            OneCycleSchedule cycle = OneCycle.defaults().over(LrSlice.of(1e-2, 1e-1), opt.groupCount(),
                    (long) epochs * batches);
            double first = Double.NaN;
            long step = 0;
            for (int e = 0; e < epochs; e++) {
                for (int b = 0; b < batches; b++, step++) {
                    try (StepScope s = StepScope.open()) {
                        opt.setLrs(cycle.lrs(step));
                        opt.setMoms(cycle.mom(step));
                        Tensor xb = x.narrow(0, (long) b * batchSize, batchSize);
                        Tensor yb = y.narrow(0, (long) b * batchSize, batchSize);
                        Tensor out = xb.matmul(body).matmul(weight.t()).add(bias);
                        dev.kodiak.tensor.Tensor l = loss.mean(wrap(out), wrap(yb));
                        double v = smooth.add(l.item());
                        if (step == 0) {
                            first = v;
                        }
                        l.backward();
                        opt.step();
                        opt.zeroGrad();
                    }
                }
            }
            assertThat(first).isEqualTo(Math.log(3), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(smooth.value()).isLessThan(first / 2);
            try (StepScope s = StepScope.open()) {
                Tensor out = x.matmul(body).matmul(weight.t()).add(bias);
                Predictions p = Predictions.ofClasses(3, values(unwrap(loss.activation(wrap(out)))), labels)
                        .withLosses(values(unwrap(loss.perItem(wrap(out), wrap(y)))));
                assertThat(Metrics.accuracy().compute(p)).isEqualTo(1.0);
                assertThat(Metrics.f1Macro().compute(p)).isEqualTo(1.0);
            }
            // the last batch trained at the schedule's last position, 35/36, nearly annealed
            assertThat(opt.lr(1)).isEqualTo(cycle.lrs(35)[1]).isLessThan(1e-1 / 100);
            assertThat(opt.mom(0)).isEqualTo(cycle.mom(35)).isGreaterThan(0.94);
        }
    }
}
