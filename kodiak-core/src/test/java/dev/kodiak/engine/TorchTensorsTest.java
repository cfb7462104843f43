package dev.kodiak.engine;

import dev.kodiak.io.DType;
import dev.kodiak.io.TensorData;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class TorchTensorsTest {
    @Test
    void everyTypeGoesToLibtorchAndBackUnchanged() {
        Random r = new Random(3);
        try (StepScope scope = StepScope.open()) {
            for (DType type : DType.values()) {
                byte[] data = new byte[12 * type.byteSize()];
                r.nextBytes(data);
                if (type == DType.BOOL) {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (byte) (data[i] & 1);
                    }
                }
                TensorData in = new TensorData("t", type, new long[] {3, 4}, data);
                Tensor t = TorchTensors.toTensor(in);
                assertThat(t.sizes().vec().get()).containsExactly(3, 4);
                assertThat(TorchTensors.fromTensor("t", t)).as(type.name()).isEqualTo(in);
            }
        }
    }

    @Test
    void channelsLastTensorsComeOutRowMajor() {
        try (StepScope scope = StepScope.open()) {
            float[] values = new float[2 * 3 * 2 * 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = i;
            }
            TensorData in = TensorData.ofFloats("w", values, 2, 3, 2, 2);
            Tensor cl = TorchTensors.toTensor(in).contiguous(torch.MemoryFormat.ChannelsLast);
            assertThat(TorchTensors.fromTensor("w", cl)).isEqualTo(in);
        }
    }
}
