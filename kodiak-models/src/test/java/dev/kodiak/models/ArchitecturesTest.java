package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kodiak.KodiakException;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.StateDict;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

class ArchitecturesTest {
    @Test
    void parameterCountsAreTorchvisions() {
        assertThat(parameters(Architectures.RESNET18.newClassifier(1000))).isEqualTo(11_689_512L);
        assertThat(parameters(Architectures.RESNET34.newClassifier(1000))).isEqualTo(21_797_672L);
        assertThat(parameters(Architectures.RESNET50.newClassifier(1000))).isEqualTo(25_557_032L);
        assertThat(parameters(Architectures.CONVNEXT_TINY.newClassifier(1000))).isEqualTo(28_589_128L);
        assertThat(parameters(Architectures.VIT_B_16.newClassifier(1000))).isEqualTo(86_567_656L);
    }

    @Test
    void namesAndShapesFollowTorchvision() {
        StateDict r18 = ModuleState.of(Architectures.RESNET18.newClassifier(1000));
        assertThat(r18.names()).startsWith("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight");
        assertThat(r18.names()).contains("layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var")
                .doesNotContain("layer1.0.downsample.0.weight").endsWith("fc.weight", "fc.bias");
        assertThat(r18.get("conv1.weight").shape()).containsExactly(64, 3, 7, 7);
        assertThat(r18.get("fc.weight").shape()).containsExactly(1000, 512);

        StateDict r50 = ModuleState.of(Architectures.RESNET50.newClassifier(1000));
        assertThat(r50.get("layer1.0.conv3.weight").shape()).containsExactly(256, 64, 1, 1);
        assertThat(r50.get("layer1.0.downsample.0.weight").shape()).containsExactly(256, 64, 1, 1);
        assertThat(r50.get("layer2.0.conv2.weight").shape()).containsExactly(128, 128, 3, 3); // stride on the 3x3
        assertThat(r50.get("fc.weight").shape()).containsExactly(1000, 2048);
    }

    @Test
    void aBodyHasNoClassifierAndEndsAtLayer4() {
        Backbone body = Architectures.RESNET18.newClassifier(0);
        assertThat(ModuleState.of(body).names()).noneMatch(n -> n.startsWith("fc."));
        try (StepScope scope = StepScope.open(); NoGradGuard g = new NoGradGuard()) {
            body.eval();
            Tensor f = body.features(torch.rand(1, 3, 64, 64));
            assertThat(f.sizes().vec().get()).containsExactly(1, 512, 2, 2);
            assertThatThrownBy(() -> body.forward(torch.rand(1, 3, 64, 64))).isInstanceOf(KodiakException.class)
                    .hasMessageContaining("no classifier");
        }
    }

    @Test
    void architecturesAreFoundByTheirNames() {
        assertThat(Architectures.byName("resnet34")).isSameAs(Architectures.RESNET34);
        assertThat(Architectures.byName("ResNet-50")).isSameAs(Architectures.RESNET50);
        assertThatThrownBy(() -> Architectures.byName("vgg16")).isInstanceOf(KodiakException.class)
                .hasMessageContaining("unknown architecture 'vgg16'").hasMessageContaining("resnet18, resnet34, resnet50");
    }

    static long parameters(org.bytedeco.pytorch.Module m) {
        try (StepScope scope = StepScope.open()) {
            long n = 0;
            var ps = m.parameters();
            for (long i = 0; i < ps.size(); i++) {
                n += ps.get(i).numel();
            }
            return n;
        }
    }
}
