package dev.kodiak.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class GradModeTest {

    @Test
    void noGradStopsRecordingAndRestoresOnClose() {
        LinearImpl fc = Layers.linear(3, 2, true);
        try (var s = StepScope.open()) {
            assertThat(GradMode.isEnabled()).isTrue();
            assertThat(fc.forward(torch.ones(1, 3)).requires_grad()).isTrue();
            try (var g = Engine.noGrad()) {
                assertThat(GradMode.isEnabled()).isFalse();
                assertThat(fc.forward(torch.ones(1, 3)).requires_grad()).isFalse();
                try (var inner = Engine.noGrad()) {
                    assertThat(GradMode.isEnabled()).isFalse();
                }
                assertThat(GradMode.isEnabled()).as("inner close keeps the outer region").isFalse();
            }
            assertThat(GradMode.isEnabled()).isTrue();
            assertThat(fc.forward(torch.ones(1, 3)).requires_grad()).isTrue();
        }
    }

    @Test
    void inferenceModeInsideAStepScopeRestoresAndTheScopeClosesCleanly() {
        LinearImpl fc = Layers.linear(3, 2, true);
        try (var s = StepScope.open()) {
            Tensor y;
            try (var g = Engine.inferenceMode()) {
                assertThat(GradMode.isEnabled()).isFalse();
                y = fc.forward(torch.ones(1, 3));
                assertThat(y.requires_grad()).isFalse();
                assertThat(y.is_inference()).isTrue();
            }
            assertThat(GradMode.isEnabled()).isTrue();
            assertThat(Tensors.toFloats(y)).hasSize(2);
        }   // the scope releases the already-closed guard again: must be harmless
        assertThat(GradMode.isEnabled()).isTrue();
        try (var s = StepScope.open()) {
            assertThat(fc.forward(torch.ones(1, 3)).requires_grad()).isTrue();
        }
    }

    @Test
    void closingOnAnotherThreadIsRefused() throws Exception {
        GradMode g = Engine.noGrad();
        try {
            Throwable t = CompletableFuture.supplyAsync(() -> {
                try {
                    g.close();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }).get();
            assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("thread");
        } finally {
            g.close();
        }
        assertThat(GradMode.isEnabled()).isTrue();
    }
}
