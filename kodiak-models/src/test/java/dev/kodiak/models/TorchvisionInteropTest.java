package dev.kodiak.models;

import static dev.kodiak.models.TorchvisionInterop.floats;
import static dev.kodiak.models.TorchvisionInterop.logits;
import static dev.kodiak.models.TorchvisionInterop.maxAbsDiff;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kodiak.engine.ModuleState;
import dev.kodiak.io.PthReader;
import dev.kodiak.io.StateDict;
import dev.kodiak.testing.PythonTorch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * torchvision 0.14's ConvNeXt-T and ViT-B/16, saved by real {@code torch.save} with every parameter drawn at random
 * (torchvision's own initialisation leaves ConvNeXt's blocks almost silent, layer scale 1e-6, and ViT's classifier
 * zero), read by Kodiak's restricted reader: Kodiak's logits equal PyTorch's within 1e-4 in eval mode, in both
 * memory layouts, with torchvision's parameter names in torchvision's order and its parameter count.
 */
class TorchvisionInteropTest {
    @TempDir
    Path dir;

    /** Writes weights.pth, input.f32, logits.f32 and names.txt for the model argv[1] at argv[2] px. */
    static final String SCRIPT = """
            import sys, torch, torchvision
            torch.manual_seed(0)
            torch.set_num_threads(2)
            m = getattr(torchvision.models, sys.argv[1])()
            with torch.no_grad():
                for name, p in m.named_parameters():
                    if 'layer_scale' in name:
                        p.uniform_(0.2, 0.6)
                    elif p.dim() == 1 and name.endswith('weight'):   # norms
                        p.uniform_(0.6, 1.4)
                    elif p.dim() == 1:                               # biases
                        p.normal_(0, 0.1)
                    else:                                            # convolutions, linear layers, embeddings
                        p.normal_(0, 0.02 if p.dim() < 4 else (1.0 / p[0].numel()) ** 0.5)
            m.eval()
            torch.save(m.state_dict(), 'weights.pth')
            n_params = sum(p.numel() for p in m.parameters())
            g = torch.Generator().manual_seed(7)
            size = int(sys.argv[2])
            if len(sys.argv) > 3:  # a ViT at another size: torchvision's resampling of the saved position embeddings
                from torchvision.models.vision_transformer import interpolate_embeddings
                at_size = getattr(torchvision.models, sys.argv[1])(image_size=size)
                at_size.load_state_dict(interpolate_embeddings(size, 16, m.state_dict()))
                m = at_size.eval()
            x = torch.rand(2, 3, size, size, generator=g) * 2 - 1
            with torch.no_grad():
                y = m(x)
            x.numpy().astype('<f4').tofile('input.f32')
            y.numpy().astype('<f4').tofile('logits.f32')
            open('names.txt', 'w').write('\\n'.join(m.state_dict().keys()))
            print(n_params, float(y.abs().max()))
            """;

    @Test
    void convnextTinyLogitsMatchPyTorch() throws Exception {
        check(Architectures.CONVNEXT_TINY, 64, dir);
    }

    @Test
    void vitB16LogitsMatchPyTorch() throws Exception {
        check(Architectures.VIT_B_16, 224, dir);
    }

    /**
     * The same 224 px file at 96 px (6x6 patches) and 288 px (18x18): Kodiak resamples the position embeddings in
     * the forward pass as torchvision's {@code interpolate_embeddings} resamples the state dict for a ViT built at
     * that size.
     */
    @Test
    void vitB16AtOtherSizesMatchesTorchvisionsResampledEmbeddings() throws Exception {
        check(Architectures.VIT_B_16, 96, dir, "resampled");
        check(Architectures.VIT_B_16, 288, dir, "resampled");
    }

    static void check(Architecture arch, int size, Path dir, String... resampled) throws Exception {
        PythonTorch.assumeAvailable();
        List<String> args = new java.util.ArrayList<>(List.of(arch.name(), Integer.toString(size)));
        args.addAll(List.of(resampled));
        String out = PythonTorch.run(dir, SCRIPT, args.toArray(new String[0]));
        System.out.println(arch + " in PyTorch: parameters, max |logit| = " + out.trim());
        StateDict weights = PthReader.read(dir.resolve("weights.pth"));
        float[] input = floats(dir.resolve("input.f32"));
        float[] expected = floats(dir.resolve("logits.f32"));

        Backbone net = arch.newClassifier(1000);
        List<String> torchNames = Files.readAllLines(dir.resolve("names.txt"));
        assertThat(ModuleState.of(net).names()).containsExactlyElementsOf(torchNames);
        assertThat(Long.parseLong(out.trim().split("\\s+")[0])).isEqualTo(ArchitecturesTest.parameters(net));
        net.load(weights, "weights.pth");
        net.eval();

        double plain = maxAbsDiff(logits(net, input, size), expected);
        net.channelsLast(true);
        double nhwc = maxAbsDiff(logits(net, input, size), expected);
        net.foldBatchNorm();
        double folded = maxAbsDiff(logits(net, input, size), expected);
        System.out.printf("%s vs PyTorch: max |diff| %.3g (NCHW), %.3g (channels-last), %.3g (folded)%n", arch,
                plain, nhwc, folded);
        // tighter than the 1e-4 asked for: measured 2.6e-6 (ConvNeXt) and 1.8e-6 (ViT), while torchvision's LayerNorm
        // epsilon 1e-6 replaced by PyTorch's default 1e-5 gives 4.2e-5
        assertThat(plain).isLessThan(2e-5);
        assertThat(nhwc).isLessThan(2e-5);
        assertThat(folded).isLessThan(2e-5);
    }
}
