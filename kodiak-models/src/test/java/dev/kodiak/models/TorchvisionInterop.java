package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.StepScope;
import dev.kodiak.io.PthReader;
import dev.kodiak.io.StateDict;
import dev.kodiak.testing.PythonTorch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;

/**
 * Shared check of the torchvision families' interop tests: Debian's torchvision 0.14 writes a random network's state
 * dict, an input and its logits ({@link ResNetTorchInteropTest#SCRIPT}); Kodiak's network of the same name has the
 * same names, parameter count and body width, and reads the {@code .pth} into logits within 1e-4 of PyTorch's: as
 * loaded, channels-last, and with its BatchNorms folded.
 */
final class TorchvisionInterop {
    private TorchvisionInterop() {
    }

    static void check(Path dir, Architecture arch, int size, long parameters, int bodyFeatures) throws Exception {
        Backbone net = arch.newClassifier(1000);
        try {
            assertThat(ArchitecturesTest.parameters(net)).as("parameters of " + arch).isEqualTo(parameters);
            assertThat(arch.bodyFeatures()).isEqualTo(bodyFeatures);
            PythonTorch.assumeAvailable();
            PythonTorch.run(dir, ResNetTorchInteropTest.SCRIPT, arch.name(), Integer.toString(size));
            StateDict weights = PthReader.read(dir.resolve("weights.pth"));
            float[] input = ResNetTorchInteropTest.floats(dir.resolve("input.f32"));
            float[] expected = ResNetTorchInteropTest.floats(dir.resolve("logits.f32"));
            List<String> torchNames = Files.readAllLines(dir.resolve("names.txt"));
            assertThat(ModuleState.of(net).names()).containsExactlyElementsOf(torchNames);
            net.load(weights, "weights.pth");
            net.eval();

            float[] logits = ResNetTorchInteropTest.logits(net, input, size);
            assertThat(ResNetTorchInteropTest.maxAbsDiff(logits, expected)).isLessThan(1e-4);
            assertThat(maxAbs(expected)).as("the logits are not trivially zero").isGreaterThan(1e-2);
            net.channelsLast(true);
            assertThat(ResNetTorchInteropTest.maxAbsDiff(ResNetTorchInteropTest.logits(net, input, size), expected))
                    .isLessThan(1e-4);
            net.foldBatchNorm();
            assertThat(ResNetTorchInteropTest.maxAbsDiff(ResNetTorchInteropTest.logits(net, input, size), expected))
                    .isLessThan(1e-4);
        } finally {
            net.release();
        }
        Backbone body = arch.newBody(3);
        try (StepScope scope = StepScope.open(); NoGradGuard g = new NoGradGuard()) {
            body.eval();
            assertThat(ModuleState.of(body).names()).noneMatch(arch::isClassifier);
            assertThat(body.features(torch.rand(1, 3, size, size)).sizes().vec().get())
                    .containsExactly(1, bodyFeatures, size / 32, size / 32);
        } finally {
            body.release();
        }
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
