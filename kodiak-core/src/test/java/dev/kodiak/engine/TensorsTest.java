package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import java.nio.ByteBuffer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

class TensorsTest {

    @Test
    void floatsRoundTripExactlyWithShape() {
        try (var s = StepScope.open()) {
            float[] data = {1.5f, -2.25f, 3e-7f, Float.MAX_VALUE, 0f, -0f};
            Tensor t = Tensors.fromFloats(data, 2, 3);
            assertThat(Tensors.shape(t)).containsExactly(2, 3);
            assertThat(Tensors.dtype(t)).isEqualTo(ScalarType.Float);
            assertThat(Tensors.toFloats(t)).containsExactly(data);
        }
    }

    @Test
    void longsIntsAndBytesRoundTrip() {
        try (var s = StepScope.open()) {
            long[] longs = {Long.MIN_VALUE, -1, 0, 7, Long.MAX_VALUE, 42};
            Tensor l = Tensors.fromLongs(longs, 3, 2);
            assertThat(Tensors.dtype(l)).isEqualTo(ScalarType.Long);
            assertThat(Tensors.toLongs(l)).containsExactly(longs);

            Tensor i = Tensors.fromInts(new int[] {-3, 0, 9}, 3);
            assertThat(Tensors.dtype(i)).isEqualTo(ScalarType.Int);
            assertThat(Tensors.toLongs(i)).containsExactly(-3, 0, 9);

            Tensor b = Tensors.fromUint8(new byte[] {0, 1, (byte) 128, (byte) 255}, 4);
            assertThat(Tensors.dtype(b)).isEqualTo(ScalarType.Byte);
            assertThat(Tensors.toLongs(b)).containsExactly(0, 1, 128, 255);   // unsigned, not -128 / -1
            assertThat(Tensors.toFloats(b)).containsExactly(0f, 1f, 128f, 255f);
        }
    }

    @Test
    void createdTensorsOwnTheirMemory() {
        try (var s = StepScope.open()) {
            float[] data = {1, 2, 3};
            Tensor t = Tensors.fromFloats(data, 3);
            data[0] = 99;
            assertThat(Tensors.toFloats(t)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void shapeThatDoesNotMatchTheDataIsAKodiakError() {
        assertThatThrownBy(() -> Tensors.fromFloats(new float[5], 2, 3))
                .isInstanceOf(KodiakException.class).hasMessageContaining("[2, 3] holds 6 values but 5 were given");
        assertThatThrownBy(() -> Tensors.fromLongs(new long[1], -1))
                .isInstanceOf(KodiakException.class).hasMessageContaining("negative");
    }

    @Test
    void dtypeIsComparableWithTheJavaConstants() {
        try (var s = StepScope.open()) {
            Tensor t = Tensors.fromFloats(new float[] {1}, 1);
            assertThat(Tensors.dtype(t) == ScalarType.Float).isTrue();
            // the trap dtype() exists for: the raw enum is a new object each call
            assertThat(t.scalar_type() == ScalarType.Float).isFalse();
        }
    }

    @Test
    void emptyShapeIsAScalar() {
        try (var s = StepScope.open()) {
            Tensor t = Tensors.fromFloats(new float[] {2.5f});
            assertThat(Tensors.shape(t)).isEmpty();
            assertThat(Tensors.scalar(t)).isEqualTo(2.5f);
        }
    }

    @Test
    void hwcPixelsBecomeNchwFloatsOverTwoHundredFiftyFive() {
        int n = 2, h = 2, w = 3, c = 3;
        ByteBuffer buf = ByteBuffer.allocateDirect(n * h * w * c);
        for (int i = 0; i < n * h * w * c; i++) {
            buf.put(i, (byte) (i * 7));
        }
        try (var s = StepScope.open()) {
            Tensor x = Tensors.fromUint8Hwc(buf, n, h, w, c);
            assertThat(Tensors.shape(x)).containsExactly(n, c, h, w);
            assertThat(Tensors.dtype(x)).isEqualTo(ScalarType.Float);
            assertThat(ChannelsLast.isChannelsLast(x)).as("documented channels-last layout").isTrue();
            float[] v = Tensors.toFloats(x);   // row-major NCHW
            for (int in = 0; in < n; in++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        for (int ch = 0; ch < c; ch++) {
                            int src = ((in * h + y) * w + xx) * c + ch;
                            float expected = (buf.get(src) & 0xFF) / 255f;
                            assertThat(v[((in * c + ch) * h + y) * w + xx]).as("n%d c%d y%d x%d", in, ch, y, xx)
                                    .isEqualTo(expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void greenOfPixelXOneYZeroLandsAtChannelOneRowZeroColumnOne() {
        int h = 2, w = 2, c = 3;
        ByteBuffer buf = ByteBuffer.allocateDirect(h * w * c);
        buf.put((1 * c) + 1, (byte) 255);   // pixel (x=1, y=0), channel G
        try (var s = StepScope.open()) {
            Tensor x = Tensors.fromUint8Hwc(buf, 1, h, w, c);
            float[] v = Tensors.toFloats(x);
            int at = ((0 * c + 1) * h + 0) * w + 1;   // [n=0, c=1, y=0, x=1]
            assertThat(v[at]).isEqualTo(1f);
            assertThat(Tensors.scalar(x.sum())).as("only that value is set").isEqualTo(1f);
        }
    }

    @Test
    void hwcBatchDoesNotAliasTheBufferAndHonoursItsPosition() {
        ByteBuffer buf = ByteBuffer.allocateDirect(5);
        buf.put(new byte[] {9, 51, 102, (byte) 255, 0});
        buf.position(1);
        try (var s = StepScope.open()) {
            Tensor x = Tensors.fromUint8Hwc(buf, 1, 1, 1, 3);
            for (int i = 0; i < 5; i++) {
                buf.put(i, (byte) 0);   // the loader reuses its buffer for the next batch
            }
            assertThat(Tensors.toFloats(x)).containsExactly(51 / 255f, 102 / 255f, 1f);
        }
    }

    @Test
    void hwcBatchRejectsHeapAndShortBuffers() {
        assertThatThrownBy(() -> Tensors.fromUint8Hwc(ByteBuffer.allocate(12), 1, 2, 2, 3))
                .isInstanceOf(KodiakException.class).hasMessageContaining("direct ByteBuffer");
        assertThatThrownBy(() -> Tensors.fromUint8Hwc(ByteBuffer.allocateDirect(11), 1, 2, 2, 3))
                .isInstanceOf(KodiakException.class).hasMessageContaining("holds 11 bytes").hasMessageContaining("need 12");
    }

    @Test
    void toFloatsHandlesNonContiguousAndNonFloatTensors() {
        try (var s = StepScope.open()) {
            Tensor t = Tensors.fromFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            Tensor transposed = t.t();   // a strided view: [[1,4],[2,5],[3,6]]
            assertThat(transposed.is_contiguous()).isFalse();
            assertThat(Tensors.toFloats(transposed)).containsExactly(1, 4, 2, 5, 3, 6);
            assertThat(Tensors.toFloats(t.to(ScalarType.BFloat16))).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(Tensors.toFloats(t.to(ScalarType.Double))).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(Tensors.toLongs(Tensors.fromFloats(new float[] {2.9f, -2.9f}, 2))).containsExactly(2, -2);
        }
    }

    @Test
    void scalarNeedsExactlyOneValue() {
        try (var s = StepScope.open()) {
            Tensor t = Tensors.fromFloats(new float[] {1, 2}, 2);
            assertThat(Tensors.scalar(t.sum())).isEqualTo(3f);
            assertThat(Tensors.scalar(Tensors.fromLongs(new long[] {7}, 1))).isEqualTo(7f);
            assertThatThrownBy(() -> Tensors.scalar(t)).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("one value").hasMessageContaining("[2]");
        }
    }

    /** ENGINE.md #7: C++ randint makes floats unless told otherwise; Kodiak's makes int64. */
    @Test
    void randintGivesIntegralLongsInRange() {
        try (var s = StepScope.open()) {
            Engine.seed(3);
            Tensor r = Tensors.randint(2, 5, 1000);
            assertThat(Tensors.dtype(r)).isEqualTo(ScalarType.Long);
            assertThat(Tensors.shape(r)).containsExactly(1000);
            long[] v = Tensors.toLongs(r);
            assertThat(java.util.Arrays.stream(v).allMatch(x -> x >= 2 && x < 5)).as("all in [2, 5)").isTrue();
            assertThat(v).contains(2, 3, 4);

            // the trap itself, as of libtorch 2.10: without options the same call yields float32
            Tensor raw = torch.randint(2, 5, new long[] {4}, new TensorOptions());
            assertThat(Tensors.dtype(raw)).isEqualTo(ScalarType.Float);
        }
        assertThatThrownBy(() -> Tensors.randint(5, 5, 3)).isInstanceOf(KodiakException.class);
    }
}
