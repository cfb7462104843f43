package dev.kodiak.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.file.Path;

/**
 * EfficientNet-B0 and B3 as torchvision 0.14 builds them: same names, shapes and parameter count, and PyTorch's logits
 * within 1e-4 from a state dict {@code torch.save} wrote (random weights, BatchNorm statistics from two training
 * batches), also channels-last and with every BatchNorm folded.
 */
class EfficientNetTorchInteropTest {
    @TempDir
    Path dir;

    @Test
    void efficientNetB0LogitsMatchPyTorch() throws Exception {
        TorchvisionInterop.check(dir, Architectures.EFFICIENTNET_B0, 64, 5_288_548L, 1280);
    }

    @Test
    void efficientNetB3LogitsMatchPyTorch() throws Exception {
        TorchvisionInterop.check(dir, Architectures.EFFICIENTNET_B3, 64, 12_233_232L, 1536);
    }
}
