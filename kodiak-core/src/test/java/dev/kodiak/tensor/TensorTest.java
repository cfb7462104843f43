package dev.kodiak.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.NativeTensors;
import dev.kodiak.engine.StepScope;
import dev.kodiak.io.DType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void arithmeticAndReductionsAreLibtorchs() {
        try (StepScope scope = StepScope.open()) {
            Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
            Tensor b = Tensor.full(0.5, 2, 2);
            assertThat(a.add(b).mul(2).toFloatArray()).containsExactly(3, 5, 7, 9);
            assertThat(a.sum().item()).isEqualTo(10f);
            assertThat(a.mean(1, false).toFloatArray()).containsExactly(1.5f, 3.5f);
            assertThat(a.matmul(a).toFloatArray()).containsExactly(7, 10, 15, 22);
            assertThat(a.argmax(1).toLongArray()).containsExactly(1, 1);
            assertThat(a.lerp(Tensor.zeros(2, 2), 0.25).toFloatArray()).containsExactly(0.75f, 1.5f, 2.25f, 3f);
            assertThat(a.indexSelect(0, Tensor.of(new long[] {1, 0}, 2)).toFloatArray()).containsExactly(3, 4, 1, 2);
            assertThat(a.gt(2.5).dtype()).isEqualTo(DType.BOOL);
            assertThat(Tensor.of(new long[] {2, 0}, 2).oneHot(3).toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0);
            float[] sm = a.softmax(1).toFloatArray();
            assertThat(sm[0] + sm[1]).isCloseTo(1f, within(1e-6f));
            assertThat(a.logSoftmax(1).exp().toFloatArray()).containsExactly(sm, within(1e-6f));
            assertThat(Tensor.stack(List.of(a, a), 0).shape()).containsExactly(2, 2, 2);
        }
    }

    @Test
    void autogradFlowsThroughOperations() {
        try (StepScope scope = StepScope.open()) {
            Tensor w = Tensor.of(new float[] {1, -2, 3}, 3).requiringGrad();
            w.pow(2).sum().backward();
            assertThat(w.grad().toFloatArray()).containsExactly(2, -4, 6);
            assertThat(w.detach().requiresGrad()).isFalse();
        }
    }

    @Test
    void engineCrossingKeepsTheSameNativeTensor() {
        try (StepScope scope = StepScope.open()) {
            Tensor a = Tensor.ones(3);
            assertThat(NativeTensors.wrap(NativeTensors.unwrap(a)).toFloatArray()).containsExactly(1, 1, 1);
            assertThat(NativeTensors.unwrap(a)).isSameAs(NativeTensors.unwrap(a));
        }
    }

    @Test
    void badShapesSayWhatIsWrong() {
        try (StepScope scope = StepScope.open()) {
            Tensor a = Tensor.ones(2, 3);
            assertThatThrownBy(() -> a.matmul(a)).isInstanceOf(KodiakException.class).hasMessageContaining("matmul");
            assertThatThrownBy(() -> a.size(5)).hasMessageContaining("out of range");
        }
    }
}
