package dev.kodiak.learn.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.StepScope;
import dev.kodiak.io.DType;
import dev.kodiak.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LossesTest {
    private static final double TOL = 1e-6;

    private static Tensor logits() {
        // item 0: [2, 1, 0] target 0; item 1: [0, 0, 3] target 1
        return floats(new long[] {2, 3}, 2, 1, 0, 0, 0, 3);
    }

    private static Tensor floats(long[] shape, float... values) {
        return Tensor.of(values, shape);
    }

    private static Tensor floats(float... values) {
        return Tensor.of(values, values.length);
    }

    private static Tensor longs(long... values) {
        return Tensor.of(values, values.length);
    }

    private static float[] values(Tensor t) {
        return t.toFloatArray();
    }

    private static double logSumExp(double... x) {
        double s = 0;
        for (double v : x) {
            s += Math.exp(v);
        }
        return Math.log(s);
    }

    @Test
    void crossEntropyIsMinusTheLogOfTheSoftmaxOfTheTarget() {
        try (StepScope s = StepScope.open()) {
            Loss ce = Losses.crossEntropy();
            double item0 = logSumExp(2, 1, 0) - 2;       // 0.40760596...
            double item1 = logSumExp(0, 0, 3) - 0;
            assertThat(item0).isCloseTo(0.4076059644, within(1e-9));
            assertThat(values(ce.perItem(logits(), longs(0, 1))))
                    .containsExactly(new float[] {(float) item0, (float) item1}, org.assertj.core.data.Offset.offset(1e-6f));
            assertThat((double) ce.mean(logits(), longs(0, 1)).item()).isCloseTo((item0 + item1) / 2, within(TOL));
            assertThat(ce.name()).isEqualTo("cross_entropy");
            assertThat(ce.classTargets()).isTrue();
        }
    }

    @Test
    void labelSmoothingSpreadsEpsOverAllClasses() {
        try (StepScope s = StepScope.open()) {
            double eps = 0.1;
            double lse = logSumExp(2, 1, 0);
            double[] nlogp = {lse - 2, lse - 1, lse - 0};           // −log p_c
            double expected = (1 - eps) * nlogp[0] + eps * (nlogp[0] + nlogp[1] + nlogp[2]) / 3;
            // the same thing as cross-entropy against the smoothed target distribution
            double[] q = {1 - eps + eps / 3, eps / 3, eps / 3};
            assertThat(q[0] * nlogp[0] + q[1] * nlogp[1] + q[2] * nlogp[2]).isCloseTo(expected, within(1e-12));

            Loss ls = Losses.crossEntropy(eps);
            Tensor out = floats(new long[] {1, 3}, 2, 1, 0);
            assertThat((double) ls.mean(out, longs(0)).item()).isCloseTo(expected, within(TOL));
            assertThat(ls.name()).isEqualTo("label_smoothing_cross_entropy");
            assertThat(Losses.crossEntropy(0).mean(out, longs(0)).item())
                    .isCloseTo((float) nlogp[0], org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void softmaxActivationGivesProbabilities() {
        try (StepScope s = StepScope.open()) {
            float[] p = values(Losses.crossEntropy().activation(floats(new long[] {1, 3}, 2, 1, 0)));
            double z = Math.exp(2) + Math.exp(1) + 1;
            assertThat((double) p[0]).isCloseTo(Math.exp(2) / z, within(TOL));
            assertThat((double) p[2]).isCloseTo(1 / z, within(TOL));
        }
    }

    @Test
    void bceWithLogitsAveragesTheBinaryLossesOfEachItem() {
        try (StepScope s = StepScope.open()) {
            Tensor out = floats(new long[] {2, 2}, 0, 2, -1, 3);
            Tensor y = floats(new long[] {2, 2}, 1, 0, 0, 1);
            double[] x = {0, 2, -1, 3};
            double[] t = {1, 0, 0, 1};
            double[] l = new double[4];
            for (int i = 0; i < 4; i++) {
                double sig = 1 / (1 + Math.exp(-x[i]));
                l[i] = -(t[i] * Math.log(sig) + (1 - t[i]) * Math.log(1 - sig));
            }
            Loss bce = Losses.bceWithLogits();
            float[] items = values(bce.perItem(out, y));
            assertThat((double) items[0]).isCloseTo((l[0] + l[1]) / 2, within(TOL));
            assertThat((double) items[1]).isCloseTo((l[2] + l[3]) / 2, within(TOL));
            assertThat((double) bce.mean(out, y).item()).isCloseTo((l[0] + l[1] + l[2] + l[3]) / 4, within(TOL));
            assertThat((double) values(bce.activation(out))[1]).isCloseTo(1 / (1 + Math.exp(-2)), within(TOL));
            assertThat(bce.classTargets()).isFalse();
        }
    }

    @Test
    void mseAndL1() {
        try (StepScope s = StepScope.open()) {
            Tensor out = floats(new long[] {2, 2}, 1, 2, 3, 4);
            Tensor y = floats(new long[] {2, 2}, 0, 2, 5, 4);
            assertThat(values(Losses.mse().perItem(out, y))).containsExactly(0.5f, 2f);
            assertThat(Losses.mse().mean(out, y).item()).isEqualTo(1.25f);
            assertThat(values(Losses.l1().perItem(out, y))).containsExactly(0.5f, 1f);
            assertThat(Losses.l1().mean(out, y).item()).isEqualTo(0.75f);
            // a single-value regression accepts [B] targets for [B, 1] outputs, like fastai's flat losses
            assertThat(Losses.mse().mean(floats(new long[] {2, 1}, 1, 2), floats(0, 0)).item()).isEqualTo(2.5f);
            assertThat(Losses.mse().activation(out)).isSameAs(out);
        }
    }

    @Test
    void bf16OutputsAreComputedInFloat() {
        try (StepScope s = StepScope.open()) {
            Tensor out = floats(new long[] {1, 3}, 2, 1, 0).to(DType.BF16);
            Tensor loss = Losses.crossEntropy().mean(out, longs(0));
            assertThat(loss.dtype()).isEqualTo(DType.F32);
            assertThat((double) loss.item()).isCloseTo(0.4076059644, within(TOL));
        }
    }

    @Test
    void lossesAreDifferentiable() {
        try (StepScope s = StepScope.open()) {
            Tensor out = floats(new long[] {1, 3}, 2, 1, 0).requiringGrad();
            Losses.crossEntropy().mean(out, longs(0)).backward();
            // d/dx CE = softmax − onehot
            double z = Math.exp(2) + Math.exp(1) + 1;
            assertThat((double) values(out.grad())[0]).isCloseTo(Math.exp(2) / z - 1, within(TOL));
        }
    }

    @Test
    void wrongTargetsAreClearErrors() {
        try (StepScope s = StepScope.open()) {
            assertThatThrownBy(() -> Losses.crossEntropy().mean(logits(), longs(0)))
                    .isInstanceOf(KodiakException.class).hasMessageContaining("[2, 3]").hasMessageContaining("[1]");
            assertThatThrownBy(() -> Losses.crossEntropy().mean(logits(), floats(0, 1)))
                    .isInstanceOf(KodiakException.class).hasMessageContaining("int64");
            assertThatThrownBy(() -> Losses.crossEntropy().mean(logits(), longs(0, 7)))
                    .isInstanceOf(KodiakException.class).hasMessageContaining("cross_entropy");
            assertThatThrownBy(() -> Losses.bceWithLogits().mean(logits(), longs(0, 1)))
                    .isInstanceOf(KodiakException.class).hasMessageContaining("targets");
            assertThatThrownBy(() -> Losses.forTarget("hinge")).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("bce_with_logits");
        }
    }

    @Test
    void forTargetMapsTheBlocksDefaultNames() {
        assertThat(Losses.forTarget("cross_entropy").name()).isEqualTo("cross_entropy");
        assertThat(Losses.forTarget("bce_with_logits").name()).isEqualTo("bce_with_logits");
        assertThat(Losses.forTarget("mse").name()).isEqualTo("mse");
        assertThat(Losses.forTarget("l1").name()).isEqualTo("l1");
    }
}
