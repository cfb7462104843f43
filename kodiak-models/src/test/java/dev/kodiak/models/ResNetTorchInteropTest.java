package dev.kodiak.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.StepScope;
import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.PthReader;
import dev.kodiak.testing.PythonTorch;
import dev.kodiak.io.StateDict;
import dev.kodiak.io.TensorData;
import dev.kodiak.engine.TorchTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point of the whole weights story: a state dict that real {@code torch.save} wrote for torchvision's ResNet,
 * read by Kodiak's restricted reader into Kodiak's ResNet, gives PyTorch's logits on the same input within 1e-4.
 */
class ResNetTorchInteropTest {
    @TempDir
    Path dir;

    private static final String SCRIPT = """
            import sys, torch, torchvision
            torch.manual_seed(0)
            torch.set_num_threads(2)
            m = getattr(torchvision.models, sys.argv[1])()
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

    @Test
    void resnet18LogitsMatchPyTorch() throws Exception {
        check(Architectures.RESNET18, 64);
    }

    @Test
    void resnet50LogitsMatchPyTorch() throws Exception {
        check(Architectures.RESNET50, 64);
    }

    /** At 32 px the last stage works on 1x1 maps, where Kodiak computes its convolutions as matrix products. */
    @Test
    void resnet18LogitsMatchPyTorchOnThirtyTwoPixelImages() throws Exception {
        check(Architectures.RESNET18, 32);
    }

    private void check(Architecture arch, int size) throws Exception {
        PythonTorch.assumeAvailable();
        PythonTorch.run(dir, SCRIPT, arch.name(), Integer.toString(size));
        StateDict weights = PthReader.read(dir.resolve("weights.pth"));
        float[] input = floats(dir.resolve("input.f32"));
        float[] expected = floats(dir.resolve("logits.f32"));

        Backbone net = arch.newClassifier(1000);
        List<String> torchNames = Files.readAllLines(dir.resolve("names.txt"));
        assertThat(ModuleState.of(net).names()).containsExactlyElementsOf(torchNames);
        net.load(weights, "weights.pth");
        net.eval();

        assertThat(maxAbsDiff(logits(net, input, size), expected)).isLessThan(1e-4);
        net.channelsLast(true);
        assertThat(maxAbsDiff(logits(net, input, size), expected)).isLessThan(1e-4);
        net.foldBatchNorm();
        assertThat(maxAbsDiff(logits(net, input, size), expected)).isLessThan(1e-4);
    }

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

    static float[] floats(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
