package dev.kodiak.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class TensorDataTest {
    @Test
    void halfAndBfloat16WidenExactly() {
        // 1.0, -2.5, 65504 (max half), smallest subnormal 2^-24
        short[] half = {0x3C00, (short) 0xC100, 0x7BFF, 0x0001};
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (short h : half) {
            b.putShort(h);
        }
        assertThat(new TensorData("h", DType.F16, new long[] {4}, b.array()).toFloats())
                .containsExactly(1f, -2.5f, 65504f, 0x1p-24f);

        ByteBuffer bf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0x3F80)
                .putShort((short) 0xC020);
        assertThat(new TensorData("b", DType.BF16, new long[] {2}, bf.array()).toFloats()).containsExactly(1f, -2.5f);
    }

    @Test
    void theByteCountMustMatchTheShape() {
        assertThatThrownBy(() -> new TensorData("w", DType.F32, new long[] {2, 2}, new byte[12]))
                .isInstanceOf(KodiakException.class).hasMessageContaining("needs 16 bytes, got 12");
    }
}
