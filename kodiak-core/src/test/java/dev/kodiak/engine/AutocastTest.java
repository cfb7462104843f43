package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.testing.Peers;
import dev.kodiak.testing.TinyConvNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/** ENGINE.md #6: bf16 autocast must drop its weight cache after every region or training silently stalls. */
class AutocastTest {
    private static final int STEPS = 20;

    private enum Precision { FP32, BF16, BF16_WITHOUT_CACHE_CLEAR }

    @Test
    void bf16TrainingFallsLikeFp32AndTheStaleCacheStallsIt() throws IOException {
        Peers.assumeMachine(cpuHasBf16(), "this CPU has no native bf16 (avx512_bf16 / amx_bf16 in /proc/cpuinfo)");
        float[] fp32 = train(Precision.FP32);
        float[] bf16 = train(Precision.BF16);
        float[] stale = train(Precision.BF16_WITHOUT_CACHE_CLEAR);
        String curves = "fp32 " + java.util.Arrays.toString(fp32) + "\nbf16 " + java.util.Arrays.toString(bf16)
                + "\nstale " + java.util.Arrays.toString(stale);
        System.out.println("AutocastTest:\n" + curves);

        assertThat(fp32[STEPS - 1]).as(curves).isLessThan(0.3f * fp32[0]);
        assertThat(bf16[STEPS - 1]).as(curves).isLessThan(0.3f * bf16[0]);
        assertThat(bf16[0]).as("same start in bf16 as fp32").isCloseTo(fp32[0], org.assertj.core.data.Offset.offset(0.05f));
        for (int i = 0; i < STEPS; i++) {
            assertThat(Math.abs(bf16[i] - fp32[i])).as("step %d\n%s", i, curves).isLessThan(0.25f);
        }
        // the control: forgetting clear_cache keeps using the first step's bf16 weights
        assertThat(stale[STEPS - 1]).as(curves).isGreaterThan(0.8f * stale[0]);
    }

    @Test
    void regionsNestAndRestoreTheOuterState() {
        assertThat(Autocast.isEnabled()).isFalse();
        try (var outer = Autocast.bf16(true)) {
            try (var inner = Autocast.bf16(true)) {
                assertThat(Autocast.isEnabled()).isTrue();
            }
            assertThat(Autocast.isEnabled()).as("inner close keeps the outer region on").isTrue();
            try (var off = Autocast.bf16(false)) {
                assertThat(Autocast.isEnabled()).as("a disabled region is a no-op").isTrue();
            }
        }
        assertThat(Autocast.isEnabled()).isFalse();
    }

    @Test
    void convolutionsRunInBf16InsideTheRegionOnly() {
        Engine.seed(1);
        TinyConvNet net = new TinyConvNet(4, 8, false);
        try (var s = StepScope.open()) {
            Tensor x = torch.randn(2, 3, 8, 8);
            try (var a = Autocast.bf16(true)) {
                assertThat(Tensors.dtype(net.forward(x))).isEqualTo(ScalarType.BFloat16);
            }
            assertThat(Tensors.dtype(net.forward(x))).isEqualTo(ScalarType.Float);
        }
    }

    private static float[] train(Precision precision) {
        Engine.seed(7);
        Tensor x;
        Tensor y;
        try (var s = StepScope.open()) {
            x = s.keep(torch.randn(16, 3, 16, 16));
            y = s.keep(Tensors.randint(0, 10, 16));
        }
        Engine.seed(42);   // identical initial weights for every precision
        TinyConvNet net = new TinyConvNet(10, 16, false);
        SGDOptions options = new SGDOptions(0.05);
        options.momentum().put(0.9);
        SGD sgd = new SGD(net.parameters(), options);
        float[] losses = new float[STEPS];
        try {
            for (int i = 0; i < STEPS; i++) {
                try (var s = StepScope.open()) {
                    sgd.zero_grad(true);
                    Tensor loss = switch (precision) {
                        case FP32 -> torch.cross_entropy_loss(net.forward(x), y);
                        case BF16 -> {
                            try (var a = Autocast.bf16(true)) {
                                yield torch.cross_entropy_loss(net.forward(x), y);
                            }
                        }
                        case BF16_WITHOUT_CACHE_CLEAR -> withoutCacheClear(net, x, y);
                    };
                    loss.backward();
                    sgd.step();
                    losses[i] = Tensors.scalar(loss);
                }
            }
        } finally {
            sgd.close();
            x.close();
            y.close();
        }
        return losses;
    }

    /** The bug Autocast guards against, reproduced by hand: autocast switched off without clear_cache(). */
    private static Tensor withoutCacheClear(TinyConvNet net, Tensor x, Tensor y) {
        torch.set_autocast_dtype(DeviceType.CPU, ScalarType.BFloat16);
        torch.set_autocast_enabled(DeviceType.CPU, true);
        try {
            return torch.cross_entropy_loss(net.forward(x), y);
        } finally {
            torch.set_autocast_enabled(DeviceType.CPU, false);
        }
    }

    static boolean cpuHasBf16() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        if (!Files.exists(info)) {
            return false;
        }
        String flags = Files.readString(info);
        return flags.contains(" avx512_bf16") || flags.contains(" amx_bf16");
    }
}
