package dev.kodiak.models;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RegNetY-800MF as torchvision 0.14 builds it (grouped convolutions, squeeze-and-excitation, projection shortcuts):
 * same names, shapes and parameter count, and PyTorch's logits within 1e-4, also channels-last and folded.
 */
class RegNetTorchInteropTest {
    @TempDir
    Path dir;

    @Test
    void regNetY800mfLogitsMatchPyTorch() throws Exception {
        TorchvisionInterop.check(dir, Architectures.REGNET_Y_800MF, 64, 6_432_512L, 784);
    }
}
