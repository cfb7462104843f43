package dev.kodiak.models;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MobileNetV3-Large as torchvision 0.14 builds it (hard swish, hard-sigmoid squeeze-and-excitation, BatchNorm eps 1e-3):
 * same names, shapes and parameter count, and PyTorch's logits within 1e-4, also channels-last and folded.
 */
class MobileNetV3TorchInteropTest {
    @TempDir
    Path dir;

    @Test
    void mobileNetV3LargeLogitsMatchPyTorch() throws Exception {
        TorchvisionInterop.check(dir, Architectures.MOBILENET_V3_LARGE, 64, 5_483_032L, 960);
    }
}
