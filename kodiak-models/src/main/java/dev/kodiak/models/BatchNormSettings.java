package dev.kodiak.models;

/**
 * Internal: a family's BatchNorm hyper-parameters as torchvision sets them, so running statistics and folding follow
 * the source exactly (e.g. MobileNetV3's eps 1e-3, momentum 0.01).
 *
 * @param eps      added to the variance before the square root
 * @param momentum the weight of a new batch in the running statistics
 */
record BatchNormSettings(double eps, double momentum) {
    /** PyTorch's defaults, which torchvision keeps for ResNet, EfficientNet (B0-B7) and RegNet. */
    static final BatchNormSettings PYTORCH = new BatchNormSettings(1e-5, 0.1);
    /** torchvision's MobileNetV3. */
    static final BatchNormSettings MOBILENET_V3 = new BatchNormSettings(1e-3, 0.01);

    BatchNormSettings {
        if (!(eps > 0) || !(momentum > 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNorm needs eps > 0 and momentum in (0, 1], got " + eps + ", "
                    + momentum);
        }
    }
}
