package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class BatchBuffersTest {
    // 2 images of 3x256x256: 1.5 MB as float, above BatchBuffers.MIN_BYTES
    private static final int N = 2;
    private static final int SIDE = 256;

    private static ByteBuffer pixels(int seed) {
        ByteBuffer buf = ByteBuffer.allocateDirect(N * SIDE * SIDE * 3);
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) (i * 31 + seed));
        }
        return buf;
    }

    private static long address(Tensor t) {
        return t.data_ptr().address();
    }

    @Test
    void aFreedBatchsMemoryServesTheNextBatchWithTheNewValues() {
        long first;
        try (var s = StepScope.open()) {
            Tensor x = Tensors.fromUint8Hwc(pixels(1), N, SIDE, SIDE, 3);
            first = address(x);
            assertThat(first % 64).as("aligned for vector loads").isZero();
        }
        try (var s = StepScope.open()) {
            Tensor y = Tensors.fromUint8Hwc(pixels(2), N, SIDE, SIDE, 3);
            assertThat(address(y)).as("the freed block is reused").isEqualTo(first);
            float[] v = Tensors.toFloats(y);
            ByteBuffer expected = pixels(2);
            // NCHW value of (n=1, c=2, y=100, x=7) from the HWC bytes of seed 2, not the old batch's
            int src = ((1 * SIDE + 100) * SIDE + 7) * 3 + 2;
            assertThat(v[((1 * 3 + 2) * SIDE + 100) * SIDE + 7]).isEqualTo((expected.get(src) & 0xFF) / 255f);
            assertThat(ChannelsLast.isChannelsLast(y)).isTrue();
        }
    }

    @Test
    void aBatchStillHeldIsNeverReused() {
        try (var s = StepScope.open()) {
            Tensor kept = Tensors.fromUint8Hwc(pixels(3), N, SIDE, SIDE, 3);
            float[] before = Tensors.toFloats(kept);
            Tensor other = Tensors.fromUint8Hwc(pixels(4), N, SIDE, SIDE, 3);
            assertThat(address(other)).isNotEqualTo(address(kept));
            assertThat(Tensors.toFloats(kept)).containsExactly(before);
        }
    }

    @Test
    void aViewKeepsTheBlockLeasedAfterItsBatchHandleIsClosed() {
        try (var s = StepScope.open()) {
            Tensor batch = Tensors.fromUint8Hwc(pixels(5), N, SIDE, SIDE, 3);
            long block = address(batch);
            Tensor firstImage = s.keep(batch.narrow(0, 0, 1));
            float[] before = Tensors.toFloats(firstImage);
            Tensors.release(batch);
            Tensor next = Tensors.fromUint8Hwc(pixels(6), N, SIDE, SIDE, 3);
            assertThat(address(next)).as("storage still referenced by the view").isNotEqualTo(block);
            assertThat(Tensors.toFloats(firstImage)).containsExactly(before);
            firstImage.close();
        }
    }

    @Test
    void idleMemoryIsBounded() {
        try (var s = StepScope.open()) {
            for (int i = 0; i < BatchBuffers.MAX_IDLE_PER_SIZE + 3; i++) {
                Tensors.fromUint8Hwc(pixels(i), N, SIDE, SIDE, 3);
            }
        }
        // all were alive together, so all were distinct blocks; only a few stay idle once freed
        assertThat(BatchBuffers.idleBlocks((long) N * SIDE * SIDE * 3 * 4)).isEqualTo(BatchBuffers.MAX_IDLE_PER_SIZE);
    }
}
