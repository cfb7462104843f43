package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import org.bytedeco.pytorch.BatchNorm1dImpl;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.DropoutImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class LayersTest {

    /** ENGINE.md #5: {@code stride().put(2, 2)} writes index 2 and leaves stride 1; the factory must not. */
    @Test
    void convWithStrideTwoHalvesTheSpatialSize() {
        try (var s = StepScope.open()) {
            Conv2dImpl conv = Layers.conv2d(3, 8, 3, 2, 1, false);
            Tensor y = conv.forward(torch.ones(1, 3, 16, 16));
            assertThat(Tensors.shape(y)).containsExactly(1, 8, 8, 8);
            assertThat(conv.options().stride().get(0)).isEqualTo(2);
            assertThat(conv.options().stride().get(1)).isEqualTo(2);
            assertThat(conv.options().kernel_size().get(1)).isEqualTo(3);
            assertThat(Tensors.shape(conv.weight())).containsExactly(8, 3, 3, 3);
            assertThat(conv.bias().defined()).as("bias=false leaves no bias").isFalse();
        }
    }

    @Test
    void convPaddingKeepsTheSizeAtStrideOne() {
        try (var s = StepScope.open()) {
            Conv2dImpl conv = Layers.conv2d(2, 4, 7, 1, 3, true);
            assertThat(Tensors.shape(conv.forward(torch.ones(2, 2, 10, 12)))).containsExactly(2, 4, 10, 12);
            assertThat(Tensors.shape(conv.bias())).containsExactly(4);
        }
    }

    @Test
    void maxPoolThreeTwoOneHalvesLikeResNetsStem() {
        try (var s = StepScope.open()) {
            MaxPool2dImpl pool = Layers.maxPool2d(3, 2, 1);
            assertThat(Tensors.shape(pool.forward(torch.ones(1, 2, 16, 16)))).containsExactly(1, 2, 8, 8);
            Tensor x = Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 1, 1, 4, 4);
            assertThat(Tensors.toFloats(Layers.maxPool2d(2, 2, 0).forward(x))).containsExactly(6, 8, 14, 16);
        }
    }

    @Test
    void linearAndBatchNormsHaveTheAskedShapes() {
        try (var s = StepScope.open()) {
            LinearImpl fc = Layers.linear(5, 3, false);
            assertThat(Tensors.shape(fc.forward(torch.ones(4, 5)))).containsExactly(4, 3);
            assertThat(fc.bias().defined()).isFalse();
            assertThat(Tensors.shape(Layers.linear(5, 3, true).bias())).containsExactly(3);

            BatchNorm2dImpl bn2 = Layers.batchNorm2d(6);
            assertThat(Tensors.shape(bn2.weight())).containsExactly(6);
            assertThat(Tensors.shape(bn2.running_mean())).containsExactly(6);
            BatchNorm1dImpl bn1 = Layers.batchNorm1d(3);
            Tensor y = bn1.forward(Tensors.fromFloats(new float[] {1, 10, 100, 3, 30, 300}, 2, 3));
            // training mode: each feature normalised over the batch to -1, +1 (eps makes it a hair less)
            float[] v = Tensors.toFloats(y);
            assertThat(v[0]).isCloseTo(-1f, org.assertj.core.data.Offset.offset(1e-3f));
            assertThat(v[5]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-3f));
        }
    }

    @Test
    void dropoutZeroesInTrainingAndIsIdentityInEval() {
        try (var s = StepScope.open()) {
            DropoutImpl drop = Layers.dropout(0.5);
            Tensor x = torch.ones(1000);
            float[] train = Tensors.toFloats(drop.forward(x));
            long zeros = 0;
            for (float f : train) {
                assertThat(f).isIn(0f, 2f);
                zeros += f == 0f ? 1 : 0;
            }
            assertThat(zeros).isBetween(350L, 650L);
            drop.eval();
            assertThat(Tensors.scalar(drop.forward(x).sum())).isEqualTo(1000f);
        }
    }

    @Test
    void badSizesAreKodiakErrors() {
        assertThatThrownBy(() -> Layers.conv2d(3, 8, 3, 0, 1, false)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("stride");
        assertThatThrownBy(() -> Layers.maxPool2d(2, 2, 2)).isInstanceOf(KodiakException.class)
                .hasMessageContaining("half the kernel");
        assertThatThrownBy(() -> Layers.dropout(1.0)).isInstanceOf(KodiakException.class);
        assertThatThrownBy(() -> Layers.linear(0, 3, true)).isInstanceOf(KodiakException.class);
    }
}
