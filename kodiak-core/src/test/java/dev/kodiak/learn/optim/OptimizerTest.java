package dev.kodiak.learn.optim;

import static dev.kodiak.engine.NativeTensors.unwrap;
import static dev.kodiak.engine.NativeTensors.wrap;
import static dev.kodiak.learn.TensorsForTests.floats;
import static dev.kodiak.learn.TensorsForTests.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.StepScope;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class OptimizerTest {
    private static final double TOL = 2e-6;

    /** Leaf parameter with the given values. */
    private static Tensor param(float... v) {
        return floats(v).set_requires_grad(true);
    }

    /** Puts gradient {@code g} on {@code p} via backward of sum(p * g) (adds to any existing gradient). */
    private static void backwardWithGrad(Tensor p, float... g) {
        try (StepScope s = StepScope.open()) {
            p.mul(floats(g)).sum().backward();
        }
    }

    private static void assertValues(Tensor t, double... expected) {
        float[] got = values(t);
        assertThat(got).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) got[i]).as("element %d", i).isCloseTo(expected[i], within(TOL));
        }
    }

    @Test
    void adamWTwoStepsMatchTheFormulaWorkedByHand() {
        double[] p = {1.0, -2.0, 0.5};
        double[] g1 = {0.1, -0.3, 2.0};
        double[] g2 = {-0.2, 0.4, 1.0};
        double lr = 0.01, wd = 0.01, mom = 0.9, sqrMom = 0.99, eps = 1e-5;

        // by hand, in doubles
        double[] m = new double[3], v = new double[3], expected1 = new double[3], expected2 = new double[3];
        double[] q = p.clone();
        for (int step = 1; step <= 2; step++) {
            double[] g = step == 1 ? g1 : g2;
            for (int i = 0; i < 3; i++) {
                q[i] *= 1 - lr * wd;
                m[i] = mom * m[i] + (1 - mom) * g[i];
                v[i] = sqrMom * v[i] + (1 - sqrMom) * g[i] * g[i];
                double d1 = 1 - Math.pow(mom, step), d2 = 1 - Math.pow(sqrMom, step);
                q[i] -= lr / d1 * m[i] / (Math.sqrt(v[i] / d2) + eps);
            }
            System.arraycopy(q, 0, step == 1 ? expected1 : expected2, 0, 3);
        }
        // sanity of the hand computation: the first Adam step moves each weight by about lr against its gradient
        assertThat(expected1[0]).isCloseTo(1.0 * (1 - lr * wd) - lr, within(1e-6));

        Tensor t = param(1.0f, -2.0f, 0.5f);
        try (Optimizer opt = Optimizers.adamW().withLr(lr).createFrom(List.of(List.of(Param.weight(wrap(t)))))) {
            backwardWithGrad(t, 0.1f, -0.3f, 2.0f);
            opt.step();
            assertValues(t, expected1);
            opt.zeroGrad();
            assertThat(t.grad().defined()).isFalse();
            backwardWithGrad(t, -0.2f, 0.4f, 1.0f);
            opt.step();
            assertValues(t, expected2);
            assertThat(opt.stepCount(0, 0)).isEqualTo(2);
            assertValues(unwrap(opt.stateDict().get("g0.p0.exp_avg")), m);
            assertValues(unwrap(opt.stateDict().get("g0.p0.exp_avg_sq")), v);
        }
    }

    @Test
    void adamWUpdatesParametersOfOtherSizesAndLayoutsEachByItsOwnGradient() {
        // a small parameter, a channels-last 4-d one, then the small one again: each must get exactly its own
        // one-step Adam update
        double lr = 0.01, wd = 0.0, mom = 0.9, sqrMom = 0.99, eps = 1e-5;
        float[] small = {0.5f, -1.5f};
        float[] gSmall = {2.0f, -0.25f};
        float[] big = new float[2 * 3 * 2 * 2];
        float[] gBig = new float[big.length];
        for (int i = 0; i < big.length; i++) {
            big[i] = (i - 11) / 7f;
            gBig[i] = ((i * 5) % 13 - 6) / 3f;
        }
        Tensor a = param(small);
        Tensor b;
        try (StepScope s = StepScope.open()) {
            b = s.keep(dev.kodiak.engine.ChannelsLast.of(floats(big).reshape(2, 3, 2, 2)).detach().set_requires_grad(true));
        }
        Tensor c = param(small);
        try (Optimizer opt = Optimizers.adamW().withLr(lr).withWd(wd)
                .createFrom(List.of(List.of(Param.weight(wrap(a)), Param.weight(wrap(b)), Param.weight(wrap(c)))))) {
            backwardWithGrad(a, gSmall);
            try (StepScope s = StepScope.open()) {
                b.mul(floats(gBig).reshape(2, 3, 2, 2)).sum().backward();
            }
            backwardWithGrad(c, gSmall);
            opt.step();
            double[] expectedSmall = new double[small.length];
            for (int i = 0; i < small.length; i++) {
                expectedSmall[i] = oneAdamStep(small[i], gSmall[i], lr, mom, sqrMom, eps);
            }
            double[] expectedBig = new double[big.length];
            for (int i = 0; i < big.length; i++) {
                expectedBig[i] = oneAdamStep(big[i], gBig[i], lr, mom, sqrMom, eps);
            }
            assertValues(a, expectedSmall);
            assertValues(c, expectedSmall);
            try (StepScope s = StepScope.open()) {
                assertValues(b.contiguous(), expectedBig); // logical order, whatever the memory layout
            }
        }
    }

    @Test
    void theFusedKernelAndTheTensorOperationPathMakeTheSameUpdates() {
        // float32 parameters take libtorch's fused kernel; float64 ones the tensor-operation path (whose scratch
        // buffer grows from the bias to the weight). Same starting values and gradients, five steps with changing
        // LR and momentum (as one-cycle does), weight decay on the weight only: the two must agree to float precision.
        assertThat(FusedAdamW.available()).as("libtorch 2.10 has aten::_fused_adamw_").isTrue();
        float[] w = new float[2 * 3 * 2 * 2];
        for (int i = 0; i < w.length; i++) {
            w[i] = (i - 9) / 5f;
        }
        float[] bias = {0.25f, -0.75f, 1.5f};
        Tensor w32;
        Tensor w64;
        Tensor b32;
        Tensor b64;
        try (StepScope s = StepScope.open()) {
            Tensor base = dev.kodiak.engine.ChannelsLast.of(floats(w).reshape(2, 3, 2, 2));
            w32 = s.keep(base.detach().clone().set_requires_grad(true));
            w64 = s.keep(base.to(org.bytedeco.pytorch.global.torch.ScalarType.Double).detach().set_requires_grad(true));
            b32 = s.keep(floats(bias).detach().set_requires_grad(true));
            b64 = s.keep(floats(bias).to(org.bytedeco.pytorch.global.torch.ScalarType.Double).detach().set_requires_grad(true));
        }
        AdamWOptions options = Optimizers.adamW().withWd(0.1);
        try (Optimizer fused = options.createFrom(List.of(List.of(Param.bnOrBias(wrap(b32)), Param.weight(wrap(w32)))));
             Optimizer plain = options.createFrom(List.of(List.of(Param.bnOrBias(wrap(b64)), Param.weight(wrap(w64)))))) {
            for (int step = 0; step < 5; step++) {
                for (Optimizer opt : List.of(fused, plain)) {
                    opt.setLr(0, 0.01 * (step + 1));
                    opt.setMom(0, 0.95 - 0.02 * step);
                }
                try (StepScope s = StepScope.open()) {
                    for (Tensor[] pair : new Tensor[][] {{w32, w64}, {b32, b64}}) {
                        Tensor g = pair[0].detach().mul(new Scalar(0.5)).sin().add(new Scalar(0.1 * step));
                        pair[0].mul(g).sum().backward();
                        pair[1].mul(g.to(org.bytedeco.pytorch.global.torch.ScalarType.Double)).sum().backward();
                    }
                }
                fused.step();
                plain.step();
                fused.zeroGrad();
                plain.zeroGrad();
            }
            try (StepScope s = StepScope.open()) {
                float[] got = values(w32.contiguous());
                float[] want = values(w64.contiguous().to(org.bytedeco.pytorch.global.torch.ScalarType.Float));
                for (int i = 0; i < got.length; i++) {
                    assertThat((double) got[i]).as("weight %d", i).isCloseTo(want[i], within(1e-5));
                    assertThat((double) got[i]).as("weight %d moved", i).isNotCloseTo(w[i], within(1e-3));
                }
                float[] gotB = values(b32);
                float[] wantB = values(b64.to(org.bytedeco.pytorch.global.torch.ScalarType.Float));
                for (int i = 0; i < gotB.length; i++) {
                    assertThat((double) gotB[i]).as("bias %d", i).isCloseTo(wantB[i], within(1e-5));
                }
            }
            assertThat(fused.stepCount(0, 0)).isEqualTo(5);
            assertThat(plain.stepCount(0, 1)).isEqualTo(5);
        }
    }

    private static double oneAdamStep(double p, double g, double lr, double mom, double sqrMom, double eps) {
        double m = (1 - mom) * g;
        double v = (1 - sqrMom) * g * g;
        return p - lr / (1 - mom) * m / (Math.sqrt(v / (1 - sqrMom)) + eps);
    }

    @Test
    void aParameterWithoutGradientIsLeftAloneAndGetsNoState() {
        Tensor trained = param(1, 2);
        Tensor frozen = param(5, 6);
        try (Optimizer opt = Optimizers.adamW(0.5).withLr(0.1)
                .createFrom(List.of(List.of(Param.weight(wrap(frozen))), List.of(Param.weight(wrap(trained)))))) {
            for (int i = 0; i < 3; i++) {
                backwardWithGrad(trained, 1, 1);
                opt.step();
                opt.zeroGrad();
            }
            assertThat(values(frozen)).containsExactly(5f, 6f);   // not even decayed
            assertThat(opt.hasState(0, 0)).isFalse();
            assertThat(opt.stepCount(0, 0)).isZero();
            assertThat(opt.stepCount(1, 0)).isEqualTo(3);
            assertThat(opt.stateDict()).containsOnlyKeys("g1.p0.exp_avg", "g1.p0.exp_avg_sq", "g1.p0.step");
        }
    }

    @Test
    void batchNormParametersAndBiasesGetNoWeightDecay() {
        Tensor weight = param(2, -4);
        Tensor bias = param(2, -4);
        double lr = 0.1, wd = 0.5;
        try (Optimizer opt = Optimizers.adamW(wd).withLr(lr)
                .createFrom(List.of(List.of(Param.weight(wrap(weight)), Param.bnOrBias(wrap(bias)))))) {
            // a zero gradient: Adam's own update is 0 / (0 + eps) = 0, so only the decay moves a weight
            backwardWithGrad(weight, 0, 0);
            backwardWithGrad(bias, 0, 0);
            opt.step();
        }
        assertValues(weight, 2 * (1 - lr * wd), -4 * (1 - lr * wd));
        assertThat(values(bias)).containsExactly(2f, -4f);
    }

    @Test
    void wdBnBiasDecaysThemToo() {
        Tensor bias = param(2);
        try (Optimizer opt = Optimizers.adamW(0.5).withLr(0.1).withWdBnBias(true)
                .createFrom(List.of(List.of(Param.bnOrBias(wrap(bias)))))) {
            backwardWithGrad(bias, 0);
            opt.step();
        }
        assertValues(bias, 2 * (1 - 0.1 * 0.5));
    }

    @Test
    void plainTensorGroupsTreatOneDimensionalTensorsAsBiases() {
        Tensor matrix = floats(new long[] {1, 2}, 3, 3).set_requires_grad(true);
        Tensor vector = param(3, 3);
        try (Optimizer opt = Optimizers.sgd(0, 0.5).withLr(0.1).create(List.of(List.of(wrap(matrix), wrap(vector))))) {
            backwardWithGrad(vector, 0, 0);
            try (StepScope s = StepScope.open()) {
                matrix.mul(floats(new long[] {1, 2}, 0, 0)).sum().backward();
            }
            opt.step();
        }
        assertValues(matrix, 3 * 0.95, 3 * 0.95);
        assertValues(vector, 3, 3);
    }

    @Test
    void sgdWithMomentumTwoStepsByHand() {
        double lr = 0.1, mom = 0.9, wd = 0.01;
        Tensor t = param(1, -1);
        // buf1 = g1; p1 = p0(1 - lr wd) - lr buf1; buf2 = mom buf1 + g2; p2 = p1(1 - lr wd) - lr buf2
        double[] g1 = {0.5, 2}, g2 = {-1, 1};
        double[] p1 = {1 * (1 - lr * wd) - lr * g1[0], -1 * (1 - lr * wd) - lr * g1[1]};
        double[] buf2 = {mom * g1[0] + g2[0], mom * g1[1] + g2[1]};
        double[] p2 = {p1[0] * (1 - lr * wd) - lr * buf2[0], p1[1] * (1 - lr * wd) - lr * buf2[1]};
        try (Optimizer opt = Optimizers.sgd(mom, wd).withLr(lr).createFrom(List.of(List.of(Param.weight(wrap(t)))))) {
            backwardWithGrad(t, 0.5f, 2f);
            opt.step();
            assertValues(t, p1);
            opt.zeroGrad();
            backwardWithGrad(t, -1f, 1f);
            opt.step();
            assertValues(t, p2);
            assertValues(unwrap(opt.stateDict().get("g0.p0.momentum_buffer")), buf2);
        }
    }

    @Test
    void stateDictRoundTripGivesAnIdenticalNextStep() {
        Tensor a = param(0.3f, -0.7f, 1.1f);
        Tensor b = param(0, 0, 0);
        try (Optimizer first = Optimizers.adamW().withLr(0.05).createFrom(List.of(List.of(Param.weight(wrap(a)))));
             Optimizer second = Optimizers.adamW().withLr(0.3).createFrom(List.of(List.of(Param.weight(wrap(b)))))) {
            for (int i = 0; i < 3; i++) {
                backwardWithGrad(a, 0.2f * i, -0.1f, 0.7f);
                first.step();
                first.zeroGrad();
            }
            first.setMom(0, 0.87);
            try (StepScope s = StepScope.open()) {
                Map<String, dev.kodiak.tensor.Tensor> saved = first.stateDict();
                Map<String, Double> hypers = first.hyperState();
                assertThat(hypers).containsEntry("g0.lr", 0.05).containsEntry("g0.mom", 0.87)
                        .containsEntry("g0.sqr_mom", 0.99).containsEntry("g0.eps", 1e-5).containsEntry("g0.wd", 0.01);
                second.loadStateDict(saved);
                second.loadHyperState(hypers);
                b.detach().copy_(a.detach());
            }
            assertThat(second.stepCount(0, 0)).isEqualTo(3);
            assertThat(second.lr(0)).isEqualTo(0.05);
            backwardWithGrad(a, 1f, 2f, -3f);
            backwardWithGrad(b, 1f, 2f, -3f);
            first.step();
            second.step();
            assertThat(values(b)).containsExactly(values(a));
            assertThat(values(a)).isNotEqualTo(new float[] {0.3f, -0.7f, 1.1f});
            // the loaded state is a copy: stepping one optimizer does not move the other's buffers
            assertThat(values(unwrap(second.stateDict().get("g0.p0.exp_avg"))))
                    .containsExactly(values(unwrap(first.stateDict().get("g0.p0.exp_avg"))));
        }
    }

    @Test
    void loadingStateOfAnotherShapeIsAClearError() {
        Tensor a = param(1, 2, 3);
        Tensor b = param(1, 2);
        try (Optimizer first = Optimizers.adamW().createFrom(List.of(List.of(Param.weight(wrap(a)))));
             Optimizer second = Optimizers.adamW().createFrom(List.of(List.of(Param.weight(wrap(b)))));
             Optimizer sgd = Optimizers.sgd().createFrom(List.of(List.of(Param.weight(wrap(a)))))) {
            backwardWithGrad(a, 1, 1, 1);
            first.step();
            Map<String, dev.kodiak.tensor.Tensor> saved = first.stateDict();
            assertThatThrownBy(() -> second.loadStateDict(saved)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("g0.p0.exp_avg").hasMessageContaining("[3]").hasMessageContaining("[2]");
            assertThatThrownBy(() -> sgd.loadStateDict(saved)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("momentum_buffer");
            assertThat(second.hasState(0, 0)).isFalse();
        }
    }

    @Test
    void hyperParametersAreCheckedPerGroup() {
        try (Optimizer opt = Optimizers.adamW().createFrom(List.of(List.of(), List.of(Param.weight(wrap(param(1))))))) {
            opt.setLrs(new double[] {1e-4, 1e-3});
            assertThat(opt.lr(0)).isEqualTo(1e-4);
            assertThat(opt.lr(1)).isEqualTo(1e-3);
            opt.setMoms(0.85);
            assertThat(opt.mom(0)).isEqualTo(0.85);
            assertThat(opt.mom(1)).isEqualTo(0.85);
            assertThatThrownBy(() -> opt.setLr(2, 0.1)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("no parameter group 2");
            assertThatThrownBy(() -> opt.setMom(0, 1.0)).isInstanceOf(KodiakException.class);
            assertThatThrownBy(() -> opt.setLr(0, Double.NaN)).isInstanceOf(KodiakException.class);
            assertThatThrownBy(() -> opt.setLrs(new double[] {1})).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("1 learning rates for 2 parameter groups");
        }
    }

    @Test
    void adamWMinimizesAQuadratic() {
        Tensor p = param(0);
        try (Optimizer opt = Optimizers.adamW(0).createFrom(List.of(List.of(Param.weight(wrap(p)))))) {
            int steps = 300;
            for (int i = 0; i < steps; i++) {
                // cosine-annealed lr so Adam settles instead of circling the minimum
                opt.setLr(0, 0.2 * (1 + Math.cos(Math.PI * i / steps)) / 2);
                try (StepScope s = StepScope.open()) {
                    p.sub(new Scalar(3.0)).pow(new Scalar(2.0)).sum().backward();
                }
                opt.step();
                opt.zeroGrad();
            }
        }
        assertThat((double) values(p)[0]).isCloseTo(3.0, within(1e-3));
    }

    @Test
    void sgdMinimizesAQuadratic() {
        Tensor p = param(0, 10);
        try (Optimizer opt = Optimizers.sgd(0.9).withLr(0.05).createFrom(List.of(List.of(Param.weight(wrap(p)))))) {
            for (int i = 0; i < 300; i++) {
                try (StepScope s = StepScope.open()) {
                    p.sub(new Scalar(3.0)).pow(new Scalar(2.0)).sum().backward();
                }
                opt.step();
                opt.zeroGrad();
            }
        }
        assertValues(p, 3, 3);
    }

    @Test
    void threeHundredStepsKeepTheNativeObjectCountFlat() {
        Tensor w = floats(new long[] {4, 8}, new float[32]).set_requires_grad(true);
        Tensor bias = param(0, 0, 0, 0);
        Tensor x = floats(new long[] {8, 2}, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8);
        try (Optimizer opt = Optimizers.adamW().createFrom(List.of(List.of(Param.weight(wrap(w)), Param.bnOrBias(wrap(bias)))))) {
            long afterWarmup = -1;
            for (int i = 0; i < 300; i++) {
                try (StepScope s = StepScope.open()) {
                    opt.setLr(0, 1e-3 * (1 + i % 7));
                    w.matmul(x).sum(1).add(bias).pow(new Scalar(2.0)).mean().backward();
                    opt.step();
                    opt.zeroGrad();
                }
                if (i == 10) {
                    afterWarmup = Pointer.totalCount();
                }
            }
            assertThat(afterWarmup).isPositive();
            // no growth over 290 steps (a leak of one object per step would add 290); the count may fall when the
            // GC frees unreachable objects of earlier tests in this JVM
            assertThat(Pointer.totalCount()).isLessThanOrEqualTo(afterWarmup + 5);
            assertThat(opt.stepCount(0, 0)).isEqualTo(300);
        }
    }

    @Test
    void theOptimizerOutlivesTheScopeItWasCreatedIn() {
        Optimizer opt;
        try (StepScope s = StepScope.open()) {
            Tensor p = param(1, 2);       // this handle is freed when the scope closes
            opt = Optimizers.sgd(0).withLr(0.5).createFrom(List.of(List.of(Param.weight(wrap(p)))));
        }
        try (opt) {
            Tensor own = opt.groups().get(0).params().get(0);
            backwardWithGrad(own, 1, -1);
            opt.step();
            assertThat(values(own)).containsExactly(0.5f, 2.5f);
        }
        assertThatThrownBy(opt::step).isInstanceOf(KodiakException.class).hasMessageContaining("closed");
    }

    @Test
    void optimizersByName() {
        assertThat(Optimizers.byName("AdamW").name()).isEqualTo("adamw");
        assertThat(Optimizers.byName("sgd")).isEqualTo(Optimizers.sgd());
        assertThat(Optimizers.adamW()).isEqualTo(new AdamWOptions(1e-3, 0.9, 0.99, 1e-5, 0.01, false));
        assertThatThrownBy(() -> Optimizers.byName("rmsprop")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("adamw, sgd");
        assertThatThrownBy(() -> Optimizers.adamW(-1)).isInstanceOf(KodiakException.class);
    }
}
