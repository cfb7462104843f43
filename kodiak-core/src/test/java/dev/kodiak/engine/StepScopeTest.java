package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.testing.MemoryCheck;
import java.nio.ByteBuffer;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** ENGINE.md "Memory: the one rule": every step in a scope keeps native memory flat. */
class StepScopeTest {
    private static final int N = 8;
    private static final int SIDE = 32;

    private final Conv2dImpl conv = Layers.conv2d(3, 8, 3, 2, 1, true);
    private final LinearImpl fc = Layers.linear(8, 4, true);
    private final ByteBuffer pixels = ByteBuffer.allocateDirect(N * SIDE * SIDE * 3);

    /** Decode-to-tensor, forward, loss, backward: what one training step allocates. */
    private float step(int i) {
        pixels.put(i % pixels.capacity(), (byte) i);
        Tensor x = Tensors.fromUint8Hwc(pixels, N, SIDE, SIDE, 3);
        Tensor h = torch.relu(conv.forward(x));
        Tensor logits = fc.forward(torch.adaptive_avg_pool2d(h, 1, 1).flatten(1, -1));
        Tensor loss = torch.cross_entropy_loss(logits, Tensors.randint(0, 4, N));
        loss.backward();
        return Tensors.scalar(loss);
    }

    @Test
    void threeHundredScopedStepsKeepNativeObjectsAndRssFlat() {
        MemoryCheck check = MemoryCheck.run(10, 290, i -> {
            try (var s = StepScope.open()) {
                step(i);
            }
        });
        System.out.println("StepScopeTest: " + check);
        check.assertFlat(5, 50);
        assertThat(check.objectGrowth()).isLessThanOrEqualTo(5L);
    }

    /** The control: the same step without a scope leaves its tensor handles to the GC, and the count grows. */
    @Test
    void withoutAScopeTheObjectCountGrows() {
        MemoryCheck check = MemoryCheck.run(2, 20, this::step);
        assertThat(check.objectGrowth()).as("handles left for the GC: " + check).isGreaterThanOrEqualTo(20 * 5);
    }

    @Test
    void aKeptTensorOutlivesItsScopeAndTheRestIsFreed() {
        Tensor kept;
        Tensor dropped;
        long before = NativeMemory.liveObjectCount();
        try (var s = StepScope.open()) {
            kept = s.keep(Tensors.fromFloats(new float[] {4, 5, 6}, 3).mul(torch.ones(3)));
            dropped = Tensors.fromFloats(new float[] {1}, 1);
        }
        assertThat(dropped.isNull()).as("a tensor not kept is freed with its scope").isTrue();
        assertThat(kept.isNull()).isFalse();
        assertThat(Tensors.toFloats(kept)).containsExactly(4, 5, 6);
        assertThat(NativeMemory.liveObjectCount() - before).as("only the kept handle remains").isEqualTo(1);
        kept.close();
        assertThat(NativeMemory.liveObjectCount()).isEqualTo(before);
    }

    @Test
    void tensorsMadeInsideTensorsHelpersBelongToTheCallersScope() {
        ByteBuffer buf = ByteBuffer.allocateDirect(3);
        Tensor x;
        try (var s = StepScope.open()) {
            x = Tensors.fromUint8Hwc(buf, 1, 1, 1, 3);
            assertThat(x.isNull()).isFalse();
        }
        assertThat(x.isNull()).as("freed by the caller's scope, not left to the GC").isTrue();
    }
}
