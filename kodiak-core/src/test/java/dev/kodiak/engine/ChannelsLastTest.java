package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class ChannelsLastTest {

    @Test
    void convertsConvWeightsAndInputsWithoutChangingResults() {
        Engine.seed(11);
        Conv2dImpl conv = Layers.conv2d(3, 4, 3, 1, 1, true);
        try (var s = StepScope.open()) {
            Tensor x = torch.randn(2, 3, 8, 8);
            float[] before = Tensors.toFloats(conv.forward(x));
            Tensor weight = conv.weight();
            assertThat(ChannelsLast.isChannelsLast(weight)).isFalse();

            ChannelsLast.apply(conv);
            Tensor xl = ChannelsLast.of(x);
            assertThat(ChannelsLast.isChannelsLast(conv.weight())).isTrue();
            assertThat(ChannelsLast.isChannelsLast(weight)).as("same parameter, re-laid in place").isTrue();
            assertThat(ChannelsLast.isChannelsLast(xl)).isTrue();
            assertThat(conv.weight().requires_grad()).isTrue();
            assertThat(Tensors.shape(xl)).containsExactly(2, 3, 8, 8);

            float[] after = Tensors.toFloats(conv.forward(xl));
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).isCloseTo(before[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
            Tensor flat = Tensors.fromFloats(new float[] {1, 2}, 2);
            assertThat(ChannelsLast.of(flat).equal(flat)).isTrue();
        }
    }
}
