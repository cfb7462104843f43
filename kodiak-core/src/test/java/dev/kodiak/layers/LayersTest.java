package dev.kodiak.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.StateDict;
import dev.kodiak.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LayersTest {
    @Test
    void linearComputesXTimesWTransposedPlusBias() {
        Layer fc = Layers.linear(3, 2);
        StateDict d = ModuleState.of(fc);
        assertThat(d.names()).containsExactly("weight", "bias");
        float[] w = d.get("weight").toFloats();
        float[] b = d.get("bias").toFloats();
        float[] x = {1, -2, 0.5f};
        float[] y = fc.forward(Tensor.of(x, 1, 3)).toFloatArray();
        for (int o = 0; o < 2; o++) {
            double expected = b[o] + w[o * 3] * x[0] + w[o * 3 + 1] * x[1] + w[o * 3 + 2] * x[2];
            assertThat((double) y[o]).isCloseTo(expected, within(1e-6));
        }
        assertThat(ModuleState.of(Layers.linear(3, 2, false)).names()).containsExactly("weight");
        assertThat(fc.forward(Tensor.of(x, 1, 3).requiringGrad()).requiresGrad()).isTrue();
    }

    @Test
    void batchNormUsesBatchStatisticsWhileTrainingAndRunningOnesInEval() {
        Layer bn = Layers.batchNorm1d(1);
        Tensor x = Tensor.of(new float[] {1, 3}, 2, 1); // mean 2, biased variance 1, unbiased 2
        assertThat(bn.training()).isTrue();
        assertThat(bn.forward(x).toFloatArray()).containsExactly(new float[] {-1, 1}, within(1e-4f));
        StateDict d = ModuleState.of(bn);
        assertThat(d.get("running_mean").toFloats()).containsExactly(new float[] {0.2f}, within(1e-6f)); // 0.9·0 + 0.1·2
        assertThat(d.get("running_var").toFloats()).containsExactly(new float[] {1.1f}, within(1e-6f));  // 0.9·1 + 0.1·2
        bn.eval();
        assertThat(bn.training()).isFalse();
        float expected = (float) ((1 - 0.2) / Math.sqrt(1.1 + 1e-5));
        assertThat(bn.forward(x).toFloatArray()[0]).isCloseTo(expected, within(1e-5f));
    }

    @Test
    void dropoutDropsWhileTrainingOnlyAndSequentialNamesByPosition() {
        Layer net = Layers.sequential(Layers.dropout(0.5), Layers.linear(4, 2), Layers.relu());
        assertThat(ModuleState.of(net).names()).containsExactly("1.weight", "1.bias");
        Layer drop = Layers.dropout(0.5);
        float[] trained = drop.forward(Tensor.ones(1, 1000)).toFloatArray();
        assertThat(trained).contains(0f, 2f).containsOnly(0f, 2f); // kept values scaled by 1/(1−p)
        drop.eval();
        assertThat(drop.forward(Tensor.ones(1, 1000)).toFloatArray()).containsOnly(1f);
        net.eval(); // the mode reaches the layers inside
        assertThat(net.forward(Tensor.ones(3, 4)).shape()).containsExactly(3, 2);
    }

    @Test
    void poolingTurnsAFeatureMapIntoFeatures() {
        Tensor map = Tensor.of(new float[] {1, 2, 3, 6, 0, 0, 0, 4}, 1, 2, 2, 2); // channel 0: 1,2,3,6; channel 1: 0,0,0,4
        assertThat(Layers.avgPool().forward(map).toFloatArray()).containsExactly(3, 1);
        assertThat(Layers.concatPool().forward(map).toFloatArray()).containsExactly(6, 4, 3, 1); // max, then average
        assertThatThrownBy(() -> Layers.avgPool().forward(Tensor.ones(2, 3))).isInstanceOf(KodiakException.class)
                .hasMessageContaining("[N, C, H, W]");
        assertThat(Layers.lambda(t -> t.mul(2)).forward(Tensor.ones(2)).toFloatArray()).containsExactly(2, 2);
    }

    @Test
    void aCustomLayerRegistersItsSublayers() {
        final class Twice extends Layer {
            private final Layer fc = add("fc", Layers.linear(2, 2));

            @Override
            public Tensor forward(Tensor x) {
                return fc.forward(fc.forward(x));
            }
        }
        Twice t = new Twice();
        assertThat(ModuleState.of(t).names()).containsExactly("fc.weight", "fc.bias");
        assertThat(t.forward(Tensor.ones(5, 2)).shape()).containsExactly(5, 2);
        assertThatThrownBy(() -> Layers.linear(0, 2)).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> Layers.dropout(1)).isInstanceOf(KodiakException.class);
    }
}
