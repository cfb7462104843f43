package dev.kodiak.models;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The point of the whole weights story: a state dict that real {@code torch.save} wrote for torchvision's ResNet,
 * read by Kodiak's restricted reader into Kodiak's ResNet, gives PyTorch's logits on the same input within 1e-4.
 */
class ResNetTorchInteropTest {
    @TempDir
    Path dir;

    @Test
    void resnet18LogitsMatchPyTorch() throws Exception {
        TorchvisionInterop.check(dir, Architectures.RESNET18, 64, 11_689_512L, 512);
    }

    @Test
    void resnet50LogitsMatchPyTorch() throws Exception {
        TorchvisionInterop.check(dir, Architectures.RESNET50, 64, 25_557_032L, 2048);
    }

    /** At 32 px the last stage works on 1x1 maps, where Kodiak computes its convolutions as matrix products. */
    @Test
    void resnet18LogitsMatchPyTorchOnThirtyTwoPixelImages() throws Exception {
        TorchvisionInterop.check(dir, Architectures.RESNET18, 32, 11_689_512L, 512);
    }
}
