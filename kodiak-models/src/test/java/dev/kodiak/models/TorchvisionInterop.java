package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.ModuleState;
import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.TorchTensors;
import dev.kodiak.io.PthReader;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.testing.PythonTorch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Shared check of the torchvision families' interop tests: Debian's torchvision 0.14 writes a random network's state
 * dict, an input and its logits ({@link #SCRIPT}); Kodiak's network of the same name has the
 * same names, parameter count and body width, and reads the {@code .pth} into logits within 1e-4 of PyTorch's: as
 * loaded, channels-last, and with its BatchNorms folded.
 */
final class TorchvisionInterop {
    // BatchNorm affine parameters and linear layers drawn at random: these families initialise their classifiers
    // with std 0.01, whose logits (~1e-4) would match anything within 1e-4.
    // And as initialised, the image fades out of them (torchvision's fan-out init makes depthwise kernels ~√channels
    // too small, half-closed squeeze-and-excitation gates halve what is left): logits equal for any input would match
    // a network that ignored its input. Depthwise kernels scaled by √channels and gates opened keep the image in.
    static final String SCRIPT = """
            import sys, math, torch, torchvision
            torch.manual_seed(0)
            torch.set_num_threads(2)
            m = getattr(torchvision.models, sys.argv[1])()
            with torch.no_grad():
                for mod in m.modules():
                    if isinstance(mod, torch.nn.BatchNorm2d):
                        mod.weight.uniform_(0.5, 1.5)
                        mod.bias.uniform_(-0.2, 0.2)
                    elif isinstance(mod, torch.nn.Conv2d) and mod.groups == mod.out_channels:
                        mod.weight.mul_(math.sqrt(mod.out_channels))   # see the comment above SCRIPT
                    elif isinstance(mod, torch.nn.Conv2d) and mod.bias is not None and mod.out_channels > mod.in_channels:
                        mod.bias.fill_(3.0)                            # squeeze-and-excitation gates open (~0.95)
                    elif isinstance(mod, torch.nn.Linear):
                        mod.weight.normal_(0, 1 / math.sqrt(mod.in_features))
                        mod.bias.uniform_(-0.1, 0.1)
            m.train()
            with torch.no_grad():   # non-trivial BatchNorm running statistics
                for _ in range(2):
                    m(torch.randn(4, 3, 64, 64))
            m.eval()
            torch.save(m.state_dict(), 'weights.pth')
            g = torch.Generator().manual_seed(7)
            size = int(sys.argv[2])
            x = torch.rand(2, 3, size, size, generator=g) * 2 - 1
            with torch.no_grad():
                y = m(x)
            x.numpy().astype('<f4').tofile('input.f32')
            y.numpy().astype('<f4').tofile('logits.f32')
            open('names.txt', 'w').write('\\n'.join(m.state_dict().keys()))
            """;

    private TorchvisionInterop() {
    }

    static void check(Path dir, Architecture arch, int size, long parameters, int bodyFeatures) throws Exception {
        Backbone net = arch.newClassifier(1000);
        try {
            assertThat(ArchitecturesTest.parameters(net)).as("parameters of " + arch).isEqualTo(parameters);
            assertThat(arch.bodyFeatures()).isEqualTo(bodyFeatures);
            PythonTorch.assumeAvailable();
            PythonTorch.run(dir, SCRIPT, arch.name(), Integer.toString(size));
            StateDict weights = PthReader.read(dir.resolve("weights.pth"));
            float[] input = floats(dir.resolve("input.f32"));
            float[] expected = floats(dir.resolve("logits.f32"));
            List<String> torchNames = Files.readAllLines(dir.resolve("names.txt"));
            assertThat(ModuleState.of(net).names()).containsExactlyElementsOf(torchNames);
            net.load(weights, "weights.pth");
            net.eval();

            float[] logits = logits(net, input, size);
            assertThat(maxAbsDiff(logits, expected)).isLessThan(1e-4);
            assertThat(maxAbs(expected)).as("the logits are far from zero").isGreaterThan(0.1);
            float[] first = java.util.Arrays.copyOfRange(expected, 0, 1000);
            float[] second = java.util.Arrays.copyOfRange(expected, 1000, 2000);
            assertThat(maxAbsDiff(first, second)).as("the logits depend on the image (10x the tolerance)")
                    .isGreaterThan(1e-3);
            net.channelsLast(true);
            assertThat(maxAbsDiff(logits(net, input, size), expected))
                    .isLessThan(1e-4);
            net.foldBatchNorm();
            assertThat(maxAbsDiff(logits(net, input, size), expected))
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

    /** Kodiak's logits for the batch of two {@code size} px images {@code input} (as the script wrote it). */
    static float[] logits(Backbone net, float[] input, int size) {
        try (StepScope scope = StepScope.open(); NoGradGuard noGrad = new NoGradGuard()) {
            Tensor x = TorchTensors.toTensor(TensorData.ofFloats("x", input, 2, 3, size, size));
            return TorchTensors.fromTensor("y", net.forward(x)).toFloats();
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** The little-endian float32 values of a file numpy's {@code tofile} wrote. */
    static float[] floats(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
