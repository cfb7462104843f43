package dev.kodiak.models;

import dev.kodiak.KodiakException;
import java.util.List;
import java.util.Locale;

/** The architectures Kodiak builds, by the names the model file and the CLI use. */
public final class Architectures {
    /** ResNet-18: 11,689,512 parameters with the 1000-class ImageNet head. */
    public static final Architecture RESNET18 = ResNet.architecture("resnet18", false, List.of(2, 2, 2, 2));
    /** ResNet-34: 21,797,672 parameters with the 1000-class ImageNet head. */
    public static final Architecture RESNET34 = ResNet.architecture("resnet34", false, List.of(3, 4, 6, 3));
    /** ResNet-50: 25,557,032 parameters with the 1000-class ImageNet head. */
    public static final Architecture RESNET50 = ResNet.architecture("resnet50", true, List.of(3, 4, 6, 3));

    /** ConvNeXt-T: 28,589,128 parameters with the 1000-class ImageNet head. */
    public static final Architecture CONVNEXT_TINY = ConvNeXt.architecture("convnext_tiny", List.of(3, 3, 9, 3),
            List.of(96, 192, 384, 768), 0.1);
    /** ViT-B/16 at 224 px: 86,567,656 parameters with the 1000-class ImageNet head. */
    public static final Architecture VIT_B_16 = VisionTransformer.architecture("vit_b_16",
            new VisionTransformer.Shape(224, 16, 12, 12, 768, 3072));

    /** EfficientNet-B0: 5,288,548 parameters with the 1000-class ImageNet head. */
    public static final Architecture EFFICIENTNET_B0 = EfficientNet.architecture("efficientnet_b0", 1.0, 1.0, 0.2);
    /** EfficientNet-B3: 12,233,232 parameters with the 1000-class ImageNet head. */
    public static final Architecture EFFICIENTNET_B3 = EfficientNet.architecture("efficientnet_b3", 1.2, 1.4, 0.3);
    /** MobileNetV3-Large: 5,483,032 parameters with the 1000-class ImageNet head. */
    public static final Architecture MOBILENET_V3_LARGE = MobileNetV3.architecture("mobilenet_v3_large");
    /** RegNetY-800MF: 6,432,512 parameters with the 1000-class ImageNet head. */
    public static final Architecture REGNET_Y_800MF = RegNet.architecture("regnet_y_800mf", List.of(64, 144, 320, 784),
            List.of(1, 3, 8, 2), 16);

    private static final List<Architecture> ALL = List.of(RESNET18, RESNET34, RESNET50, CONVNEXT_TINY, VIT_B_16,
            EFFICIENTNET_B0, EFFICIENTNET_B3, MOBILENET_V3_LARGE, REGNET_Y_800MF);

    private Architectures() {
    }

    /** All known architectures. */
    public static List<Architecture> all() {
        return ALL;
    }

    /** The architecture called {@code name} (case-insensitive), or an error listing the known names. */
    public static Architecture byName(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace("-", "");
        for (Architecture a : ALL) {
            if (a.name().equals(wanted)) {
                return a;
            }
        }
        throw new KodiakException("unknown architecture '" + name + "'; Kodiak knows "
                + String.join(", ", ALL.stream().map(Architecture::name).toList()));
    }
}
